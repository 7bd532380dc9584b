using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>A tensor's shape and float values (row-major), copied out of torch so results hold no native memory.</summary>
public sealed record TensorValues(long[] Shape, float[] Values)
{
    public static TensorValues From(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        return new TensorValues(tensor.shape, values);
    }

    /// <summary>The largest absolute difference from a tensor of the same shape.</summary>
    public double MaxDifference(TensorValues other) => Values.Zip(other.Values, (a, b) => Math.Abs((double)a - b)).Max();
}
