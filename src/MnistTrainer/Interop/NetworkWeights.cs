using System.Runtime.InteropServices;
using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Interop;

/// <summary>Moves the lesson network's weights between TorchSharp and the tensors a weights file holds.</summary>
public static class NetworkWeights
{
    /// <summary>The network's state_dict as float32 tensors, in the lesson's order.</summary>
    public static IReadOnlyList<NamedTensor> Read(Sequential network)
    {
        using var scope = NewDisposeScope();
        var parameters = network.state_dict();
        return StateDictLayout.Expected.Select(expected =>
        {
            var values = parameters[expected.Name].detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
            return new NamedTensor(expected.Name, NamedTensor.Float32, expected.Shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }).ToList();
    }

    /// <summary>A new network holding these weights; they must already have passed <see cref="StateDictLayout.Check"/>.</summary>
    public static Sequential Create(IReadOnlyList<NamedTensor> tensors)
    {
        var network = MnistNetwork.Create();
        try
        {
            using var scope = NewDisposeScope();
            var source = tensors.ToDictionary(t => t.Name, t => tensor(MemoryMarshal.Cast<byte, float>(t.Bytes).ToArray(), t.Shape));
            network.load_state_dict(source, strict: true);
            network.eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
