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

/// <summary>
/// The learning rate at each step of a run, as a function of the step alone: a resumed run needs no
/// scheduler state beyond its position (epoch and batch), which the checkpoint holds.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>One-cycle's start is the peak divided by this, its end the start divided by <see cref="OneCycleFinalDivisor"/> (PyTorch's OneCycleLR defaults).</summary>
    const double OneCycleDivisor = 25, OneCycleFinalDivisor = 1e4, OneCycleWarmUp = 0.3;

    /// <summary>The rate for step <paramref name="step"/> (from 0) of <paramref name="totalSteps"/>; <paramref name="stepsPerEpoch"/> for the step schedule.</summary>
    public static double At(ScheduleKind schedule, double peak, long step, long totalSteps, int stepsPerEpoch) => schedule switch
    {
        ScheduleKind.Constant => peak,
        // ×0.1 after half the epochs and again after three quarters (PyTorch's MultiStepLR, milestones at 50% and 75%).
        ScheduleKind.Step => peak * StepFactor(step / stepsPerEpoch, totalSteps / stepsPerEpoch),
        ScheduleKind.Cosine => peak * (1 + Math.Cos(Math.PI * step / totalSteps)) / 2,
        ScheduleKind.OneCycle => OneCycle(peak, step, totalSteps),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule)),
    };

    static double StepFactor(long epoch, long epochs) =>
        epoch >= (long)Math.Ceiling(epochs * 0.75) ? 0.01 : epoch >= (long)Math.Ceiling(epochs * 0.5) ? 0.1 : 1;

    /// <summary>PyTorch's OneCycleLR (cosine annealing, three phases off): up from peak/25 to the peak over the first 30% of steps, then down to peak/25/10⁴.</summary>
    static double OneCycle(double peak, long step, long totalSteps)
    {
        double start = peak / OneCycleDivisor, end = start / OneCycleFinalDivisor;
        double warmUpEnd = OneCycleWarmUp * totalSteps - 1;
        return step <= warmUpEnd
            ? Anneal(start, peak, step / warmUpEnd)
            : Anneal(peak, end, (step - warmUpEnd) / (totalSteps - 1 - warmUpEnd));
    }

    static double Anneal(double from, double to, double fraction) => to + (from - to) / 2 * (1 + Math.Cos(Math.PI * Math.Clamp(fraction, 0, 1)));
}
