using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>The first layer's weights before and after one SGD step, and the gradient the step used.</summary>
public sealed record SgdStepResult(TensorValues Before, TensorValues Gradient, TensorValues After, double LearningRate)
{
    public const double Tolerance = 1e-7;

    /// <summary>
    /// What plain gradient descent gives, W′ = W − α·∂C/∂W, in float with one rounding (a fused
    /// multiply-add), as torch's vectorized <c>add_(grad, alpha: -lr)</c> does: on such CPUs the match is
    /// exact. <see cref="Tolerance"/> covers a torch build that rounds twice (one unit in the last place).
    /// </summary>
    public TensorValues Expected => Before with
    {
        Values = Before.Values.Select((w, i) => MathF.FusedMultiplyAdd(-(float)LearningRate, Gradient.Values[i], w)).ToArray(),
    };

    /// <summary>The largest |new − (old − lr·grad)| over all the weights of the layer.</summary>
    public double MaxDifference => After.MaxDifference(Expected);
    public bool MatchesGradientDescent => MaxDifference <= Tolerance;

    /// <summary>Flat indices of the <paramref name="count"/> weights with the largest gradients: the ones that move most.</summary>
    public IReadOnlyList<int> LargestGradients(int count) => Enumerable.Range(0, Gradient.Values.Length)
        .OrderByDescending(i => Math.Abs(Gradient.Values[i])).Take(count).ToList();
}

/// <summary>Step 5, "Treinando a rede!": zero_grad, forward, loss, backward, <c>optimizer.step()</c> with <c>optim.SGD</c>.</summary>
public static class SgdStep
{
    public static SgdStepResult Run(Sequential model, LessonBatch batch, double learningRate)
    {
        using var scope = NewDisposeScope();
        using var criterion = nn.NLLLoss();
        using var optimizer = optim.SGD(model.parameters(), learningRate);
        var weight = FirstLayer.Weight(model);
        var before = TensorValues.From(weight);

        optimizer.zero_grad();
        var loss = criterion.call(model.call(batch.Images), batch.Labels);
        loss.backward();
        var gradient = TensorValues.From(weight.grad ?? throw new InvalidOperationException("backward() left no gradient on the first layer"));
        optimizer.step();

        return new SgdStepResult(before, gradient, TensorValues.From(weight), learningRate);
    }
}
