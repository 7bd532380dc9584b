using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>
/// NLLLoss on the log-softmax output, and CrossEntropyLoss on the logits of the same weights: the
/// same number, since CrossEntropyLoss is LogSoftmax followed by NLLLoss.
/// </summary>
public sealed record LogSoftmaxResult(double NllLoss, double CrossEntropyLoss)
{
    public const double Tolerance = 1e-6;
    public double Difference => Math.Abs(NllLoss - CrossEntropyLoss);
    public bool Equal => Difference <= Tolerance;
}

/// <summary>Step 2, the exercise: a network ending in <c>LogSoftmax(dim=1)</c> with <c>nn.NLLLoss()</c>.</summary>
public static class LogSoftmaxStep
{
    public static LogSoftmaxResult Run(Sequential model, LessonBatch batch)
    {
        using var scope = NewDisposeScope();
        using var nll = nn.NLLLoss();
        using var crossEntropy = nn.CrossEntropyLoss();
        using var logitsModel = LogitsNetwork.WithWeightsOf(model);
        var nllLoss = nll.call(model.call(batch.Images), batch.Labels).item<float>();
        var crossEntropyLoss = crossEntropy.call(logitsModel.call(batch.Images), batch.Labels).item<float>();
        return new LogSoftmaxResult(nllLoss, crossEntropyLoss);
    }
}
