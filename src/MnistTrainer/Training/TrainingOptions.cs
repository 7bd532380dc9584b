namespace MnistTrainer.Training;

/// <summary>The lesson's hyper-parameters. <see cref="Seed"/> fixes the initial weights and the shuffling.</summary>
public sealed record TrainingOptions(int Epochs, double LearningRate, int BatchSize, long Seed)
{
    public const int DefaultEpochs = 5;
    public const double DefaultLearningRate = 0.01;
    public const int DefaultBatchSize = 64;
}
