using MnistTrainer.Data;
using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>The lesson's <c>ps = torch.exp(model(img))</c> under <c>no_grad</c>: the class probabilities for one image.</summary>
public static class ClassProbabilities
{
    public static float[] Of(Sequential model, ReadOnlySpan<byte> image)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pixels = tensor(image.ToArray(), [1, DatasetInfo.ImagePixels]);
        var logProbabilities = model.call(InputNormalization.Apply(pixels));
        return exp(logProbabilities).data<float>().ToArray();
    }
}
