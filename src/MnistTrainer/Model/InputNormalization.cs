using TorchSharp;
using static TorchSharp.torch;

namespace MnistTrainer.Model;

/// <summary>
/// The lesson's <c>ToTensor()</c> + <c>Normalize([0.5], [0.5])</c>: bytes to [0, 1], then to [-1, 1].
/// Done in the same two steps as torchvision so the floats match PyTorch's bit for bit.
/// </summary>
public static class InputNormalization
{
    public const double Mean = 0.5;
    public const double Std = 0.5;

    /// <summary>Bytes [N, 784] (uint8) to normalized floats [N, 784].</summary>
    public static Tensor Apply(Tensor pixels) =>
        pixels.to_type(ScalarType.Float32).div_(255).sub_(Mean).div_(Std);

    /// <summary>
    /// What <see cref="Apply"/> makes of each byte value 0–255, computed by <see cref="Apply"/> itself, so
    /// a lookup in this table gives exactly the same floats.
    /// </summary>
    public static float[] Table()
    {
        using var scope = NewDisposeScope();
        return Apply(arange(256, ScalarType.Byte)).data<float>().ToArray();
    }
}
