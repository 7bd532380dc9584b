using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>A copy of a network's parameters as one float array, in <c>parameters()</c> order.</summary>
public static class WeightSnapshot
{
    public static float[] Capture(IReadOnlyList<Parameter> parameters) =>
        parameters.SelectMany(p => p.data<float>().ToArray()).ToArray();

    public static void Restore(ReadOnlySpan<float> values, IReadOnlyList<Parameter> parameters)
    {
        if (values.Length != parameters.Sum(p => p.numel()))
            throw new InvalidDataException($"{values.Length} saved weights do not fit the network");
        using var noGrad = no_grad();
        int offset = 0;
        foreach (var parameter in parameters)
        {
            int count = (int)parameter.numel();
            using var source = tensor(values.Slice(offset, count).ToArray(), parameter.shape);
            parameter.copy_(source);
            offset += count;
        }
    }

    /// <summary>Adds <paramref name="parameters"/> to the running <paramref name="average"/> of <paramref name="count"/> snapshots, which becomes count + 1.</summary>
    public static void AddToAverage(float[] average, int count, IReadOnlyList<Parameter> parameters)
    {
        var current = Capture(parameters);
        for (int i = 0; i < average.Length; i++) average[i] += (current[i] - average[i]) / (count + 1);
    }

    public static byte[] ToBytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    public static float[] FromBytes(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
