namespace MnistTrainer.Training;

/// <summary>How a training step computes its gradient; the two agree to float rounding (ManualStepTests, docs/benchmarks.md).</summary>
public enum TrainingEngine
{
    /// <summary><see cref="ManualStep"/>: the gradient derived by hand, then the optimizer's step (plain SGD's folded into the products). The default.</summary>
    Manual,
    /// <summary>The lesson's step: forward, the loss, <c>loss.backward()</c>, the optimizer's step. The reference.</summary>
    Autograd,
}
