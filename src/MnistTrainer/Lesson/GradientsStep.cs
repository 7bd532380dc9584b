using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>The first layer's weight gradient before <c>loss.backward()</c> (there is none) and after.</summary>
public sealed record GradientsResult(bool HadGradientBefore, double Loss, TensorValues GradientAfter);

/// <summary>Step 4, "Perda e Autograd juntos": <c>model[0].weight.grad</c> around <c>loss.backward()</c>.</summary>
public static class GradientsStep
{
    public static GradientsResult Run(Sequential model, LessonBatch batch)
    {
        using var scope = NewDisposeScope();
        using var criterion = nn.NLLLoss();
        var weight = FirstLayer.Weight(model);
        bool hadGradientBefore = weight.grad is not null;
        var loss = criterion.call(model.call(batch.Images), batch.Labels);
        loss.backward();
        var gradient = weight.grad ?? throw new InvalidOperationException("backward() left no gradient on the first layer");
        return new GradientsResult(hadGradientBefore, loss.item<float>(), TensorValues.From(gradient));
    }
}
