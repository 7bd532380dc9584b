using System.Text.Json.Serialization;

namespace MnistTrainer.Training;

/// <summary>
/// A training run's settings. The first four are the lesson's; the others default to what the lesson
/// does (plain SGD at a constant rate, no augmentation, no validation set), so a run that sets only
/// the first four is the lesson's run. <see cref="Seed"/> fixes the initial weights, the shuffling,
/// the validation split and the augmentation.
/// </summary>
/// <param name="Momentum">SGD's momentum; for Adam and AdamW this is beta1 when above 0 (0: their default 0.9).</param>
/// <param name="Validation">Training images held out (chosen by the seed) to measure the network on after each epoch.</param>
/// <param name="Keep">Which weights are saved: the last epoch's (or their average), or those with the best validation accuracy.</param>
/// <param name="AverageEpochs">When above 0, the saved weights are the average of the weights at the end of the last this-many epochs (stochastic weight averaging).</param>
/// <param name="Recipe">The name of the preset the settings came from, for the record.</param>
public sealed record TrainingOptions(
    int Epochs,
    double LearningRate,
    int BatchSize,
    long Seed,
    OptimizerKind Optimizer = OptimizerKind.Sgd,
    double Momentum = 0,
    bool Nesterov = false,
    double WeightDecay = 0,
    ScheduleKind Schedule = ScheduleKind.Constant,
    Augmentation Augment = Augmentation.None,
    double LabelSmoothing = 0,
    int Validation = 0,
    KeepWeights Keep = KeepWeights.Last,
    int AverageEpochs = 0,
    string Recipe = Recipes.Lesson)
{
    public const int DefaultEpochs = 5;
    public const double DefaultLearningRate = 0.01;
    public const int DefaultBatchSize = 64;
}

[JsonConverter(typeof(JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind { Sgd, Adam, AdamW }

/// <summary>How the learning rate moves over the run (see <see cref="LearningRateSchedule"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleKind>))]
public enum ScheduleKind { Constant, Step, Cosine, OneCycle }

/// <summary>Random changes to the training images (see <see cref="ImageAugmenter"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Augmentation>))]
public enum Augmentation { None, Shift, ShiftFlip }

[JsonConverter(typeof(JsonStringEnumConverter<KeepWeights>))]
public enum KeepWeights { Last, Best }
