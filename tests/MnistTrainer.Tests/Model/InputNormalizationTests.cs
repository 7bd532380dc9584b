using MnistTrainer.Model;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Model;

public class InputNormalizationTests
{
    [Fact]
    public void MatchesToTensorThenNormalizeHalfHalf()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using var pixels = tensor(bytes, [1, 256]);
        using var normalized = InputNormalization.Apply(pixels);
        var values = normalized.data<float>().ToArray();

        for (int i = 0; i < 256; i++)
        {
            // torchvision: ToTensor divides by 255 in float32, Normalize subtracts the mean and divides by the std.
            float expected = ((float)i / 255f - 0.5f) / 0.5f;
            Assert.Equal(expected, values[i]);
        }
        Assert.Equal(-1f, values[0]);
        Assert.Equal(1f, values[255]);
    }
}
