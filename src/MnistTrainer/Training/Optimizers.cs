using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>The optimizer a run's settings name, over the network's parameters.</summary>
public static class Optimizers
{
    /// <summary>Adam's and AdamW's beta1 when no momentum is given (PyTorch's default).</summary>
    const double AdamBeta1 = 0.9;

    public static OptimizerHelper Create(TrainingOptions options, IEnumerable<Parameter> parameters) => options.Optimizer switch
    {
        // The lesson's optimizer exactly as it was created before any of these settings existed.
        OptimizerKind.Sgd when options is { Momentum: 0, WeightDecay: 0, Nesterov: false } => optim.SGD(parameters, options.LearningRate),
        OptimizerKind.Sgd => optim.SGD(parameters, options.LearningRate, options.Momentum, dampening: 0,
            weight_decay: options.WeightDecay, nesterov: options.Nesterov),
        OptimizerKind.Adam => optim.Adam(parameters, options.LearningRate, Beta1(options), weight_decay: options.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, options.LearningRate, Beta1(options), weight_decay: options.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };

    static double Beta1(TrainingOptions options) => options.Momentum > 0 ? options.Momentum : AdamBeta1;

    public static void SetLearningRate(OptimizerHelper optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }
}
