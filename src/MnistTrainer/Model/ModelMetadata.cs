namespace MnistTrainer.Model;

/// <summary>What <c>predict</c> needs besides the weights, and how the model was made.</summary>
public sealed record ModelMetadata(
    string Dataset,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<int> LayerSizes,
    string Architecture,
    double NormalizationMean,
    double NormalizationStd,
    TrainingSummary? Training)
{
    public static ModelMetadata For(string dataset, IReadOnlyList<string> classNames, TrainingSummary? training) => new(
        dataset, classNames, MnistNetwork.LayerSizes, MnistNetwork.Description,
        InputNormalization.Mean, InputNormalization.Std, training);
}

/// <summary>The settings and results of the training run that produced a model.</summary>
public sealed record TrainingSummary(
    int Epochs,
    double LearningRate,
    int BatchSize,
    long Seed,
    IReadOnlyList<double> EpochLosses,
    double? TestAccuracy,
    DateTimeOffset FinishedAt);
