using MnistTrainer.Model;

namespace MnistTrainer.Training;

/// <summary>What the model file records of the run that made it: every setting and the results.</summary>
public static class RunSummary
{
    public static TrainingSummary Of(TrainingOptions options, TrainingResult result) => new(
        options.Epochs, options.LearningRate, options.BatchSize, options.Seed, result.EpochLosses, result.TestAccuracy, DateTimeOffset.UtcNow,
        options.Recipe, SettingNames.Of(SettingNames.Optimizers, options.Optimizer), options.Momentum, options.Nesterov, options.WeightDecay,
        SettingNames.Of(SettingNames.Schedules, options.Schedule), SettingNames.Of(SettingNames.Augmentations, options.Augment),
        options.LabelSmoothing, options.Validation, SettingNames.Of(SettingNames.Keeps, options.Keep),
        result.Chosen?.KeptEpoch, result.Chosen?.AveragedEpochs ?? 0,
        options.Validation > 0 ? [.. (result.History ?? []).Select(e => e.ValidationAccuracy ?? double.NaN)] : null,
        [.. (result.History ?? []).Select(e => e.TestAccuracy ?? double.NaN)]);
}
