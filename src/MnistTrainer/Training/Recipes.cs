namespace MnistTrainer.Training;

/// <summary>
/// Named sets of settings. <see cref="Lesson"/> is the lesson's run (every default); <see cref="Accurate"/>
/// is the best this network reached on held-out training images (validation data, never the test set;
/// README.md, "How accurate was chosen", has the runs it was chosen from).
/// </summary>
public static class Recipes
{
    public const string Lesson = "lesson";
    public const string Accurate = "accurate";
    public static readonly IReadOnlyList<string> Names = [Lesson, Accurate];

    /// <summary>The recipe's settings, with <paramref name="seed"/>.</summary>
    public static TrainingOptions For(string name, long seed) => name switch
    {
        Lesson => new TrainingOptions(TrainingOptions.DefaultEpochs, TrainingOptions.DefaultLearningRate, TrainingOptions.DefaultBatchSize, seed),
        Accurate => new TrainingOptions(Epochs: 30, LearningRate: 0.05, BatchSize: 64, seed,
            Optimizer: OptimizerKind.Sgd, Momentum: 0.9, Nesterov: true, WeightDecay: 5e-4, Schedule: ScheduleKind.OneCycle,
            AverageEpochs: 10, Recipe: Accurate),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown recipe"),
    };
}
