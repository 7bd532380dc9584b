using System.Runtime.InteropServices;
using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Interop;

/// <summary>
/// One entry of a state_dict as a weights file holds it: its name ("0.weight"), its dtype in PyTorch's words
/// ("float32"), its shape, and its values as little-endian bytes in row-major order.
/// </summary>
public sealed record NamedTensor(string Name, string DType, long[] Shape, byte[] Bytes)
{
    public const string Float32 = "float32";

    /// <summary>The dtypes a file may name: PyTorch's word, the bytes of one value, safetensors' code, torch.save's storage type.</summary>
    public static readonly IReadOnlyList<(string DType, int Size, string Safetensors, string Storage)> DTypes =
    [
        (Float32, 4, "F32", "FloatStorage"), ("float64", 8, "F64", "DoubleStorage"), ("float16", 2, "F16", "HalfStorage"),
        ("bfloat16", 2, "BF16", "BFloat16Storage"), ("int64", 8, "I64", "LongStorage"), ("int32", 4, "I32", "IntStorage"),
        ("int16", 2, "I16", "ShortStorage"), ("int8", 1, "I8", "CharStorage"), ("uint8", 1, "U8", "ByteStorage"),
        ("bool", 1, "BOOL", "BoolStorage"),
    ];
}

/// <summary>
/// The lesson network's state_dict: its names, dtype and shapes — "0.weight" [128, 784], "0.bias" [128],
/// "2.weight" [64, 128], … (the Linear layers sit at positions 0, 2 and 4 of the nn.Sequential, and their weights
/// are [out, in]) — and its tensors taken from and put into a TorchSharp network.
/// </summary>
public static class StateDict
{
    public static readonly IReadOnlyList<(string Name, long[] Shape)> Expected = CreateExpected();

    static List<(string Name, long[] Shape)> CreateExpected()
    {
        var sizes = MnistNetwork.LayerSizes;
        var expected = new List<(string, long[])>();
        for (int layer = 0; layer < sizes.Count - 1; layer++)
        {
            expected.Add(($"{2 * layer}.weight", [sizes[layer + 1], sizes[layer]]));
            expected.Add(($"{2 * layer}.bias", [sizes[layer + 1]]));
        }
        return expected;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> listing every name, dtype or shape that is not the lesson's.</summary>
    public static void Check(IReadOnlyList<NamedTensor> tensors)
    {
        var problems = new List<string>();
        var byName = new Dictionary<string, NamedTensor>();
        foreach (var tensor in tensors)
        {
            if (!byName.TryAdd(tensor.Name, tensor)) problems.Add($"\"{tensor.Name}\" appears twice");
        }
        foreach (var (name, shape) in Expected)
        {
            if (!byName.TryGetValue(name, out var tensor)) problems.Add($"\"{name}\" is missing");
            else if (tensor.DType != NamedTensor.Float32) problems.Add($"\"{name}\" is {tensor.DType}, expected {NamedTensor.Float32}");
            else if (!tensor.Shape.SequenceEqual(shape)) problems.Add($"\"{name}\" has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", shape)}]");
        }
        var unexpected = byName.Keys.Where(name => !Expected.Any(e => e.Name == name)).ToList();
        if (unexpected.Count > 0)
            problems.Add($"unexpected {(unexpected.Count == 1 ? "tensor" : "tensors")} {string.Join(", ", unexpected.Take(5).Select(n => $"\"{n}\""))}{(unexpected.Count > 5 ? $" and {unexpected.Count - 5} more" : "")}");
        if (problems.Count > 0)
            throw new InvalidDataException(
                $"not the state_dict of the lesson's network ({MnistNetwork.Description}): {string.Join("; ", problems)}");
    }

    /// <summary>The network's state_dict as float32 tensors, in the lesson's order.</summary>
    public static IReadOnlyList<NamedTensor> Read(Sequential network)
    {
        using var scope = NewDisposeScope();
        var parameters = network.state_dict();
        return Expected.Select(expected =>
        {
            var values = parameters[expected.Name].detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
            return new NamedTensor(expected.Name, NamedTensor.Float32, expected.Shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }).ToList();
    }

    /// <summary>A new network holding these weights, once <see cref="Check"/> finds them the lesson's.</summary>
    public static Sequential Create(IReadOnlyList<NamedTensor> tensors)
    {
        Check(tensors);
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
