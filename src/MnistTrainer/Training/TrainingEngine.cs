namespace MnistTrainer.Training;

/// <summary>How a training step computes its gradient; the results agree to about 1e-6 (see docs/benchmarks.md).</summary>
public enum TrainingEngine
{
    /// <summary>The fastest exact one for the settings: <see cref="Manual"/> for plain SGD.</summary>
    Automatic,
    /// <summary>The lesson's step: forward, NLLLoss, <c>loss.backward()</c>, the optimizer's step.</summary>
    Autograd,
    /// <summary><see cref="ManualSgdStep"/>: the gradient derived by hand, SGD folded into the products. Plain SGD only.</summary>
    Manual,
}
