using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>
/// The loss of an untrained network on one batch. <see cref="UniformGuessLoss"/> is what the loss is
/// when every class gets the same probability 1/N: −ln(1/N) = ln N (ln 10 ≈ 2.3026 for ten classes),
/// which is about what a network with small random weights does.
/// </summary>
public sealed record LossResult(double Loss, int ClassCount)
{
    public double UniformGuessLoss => Math.Log(ClassCount);
}

/// <summary>Step 1, "Perdas no PyTorch": <c>criterion = nn.CrossEntropyLoss()</c> on the logits of an untrained network.</summary>
public static class LossStep
{
    public static LossResult Run(Sequential logitsModel, LessonBatch batch)
    {
        using var scope = NewDisposeScope();
        using var criterion = nn.CrossEntropyLoss();
        var logits = logitsModel.call(batch.Images);
        var loss = criterion.call(logits, batch.Labels);
        return new LossResult(loss.item<float>(), (int)logits.shape[1]);
    }
}
