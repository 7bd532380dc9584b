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

    /// <summary>The value at [row, column] of a 2-D tensor.</summary>
    public float this[long row, long column] => Values[row * Shape[1] + column];

    /// <summary>The largest absolute difference between two tensors of the same shape.</summary>
    public double MaxDifference(TensorValues other)
    {
        if (!Shape.SequenceEqual(other.Shape)) throw new ArgumentException("tensors have different shapes");
        double max = 0;
        for (int i = 0; i < Values.Length; i++) max = Math.Max(max, Math.Abs((double)Values[i] - other.Values[i]));
        return max;
    }
}
