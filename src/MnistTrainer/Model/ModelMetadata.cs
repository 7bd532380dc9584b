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

/// <summary>
/// The settings and results of the training run that produced a model. The settings after
/// <see cref="FinishedAt"/> were added later; a file without them was trained with the defaults
/// given here (the lesson's plain SGD). Names are the command line's values ("sgd", "onecycle", ...).
/// </summary>
/// <param name="TestAccuracy">The test accuracy of the saved weights.</param>
/// <param name="Validation">Training images held out as the validation set (0: none).</param>
/// <param name="KeptEpoch">The epoch whose weights were saved when not the last (the best on the validation set).</param>
/// <param name="AveragedEpochs">When above 0, the saved weights are the average of the last this-many epochs'.</param>
public sealed record TrainingSummary(
    int Epochs,
    double LearningRate,
    int BatchSize,
    long Seed,
    IReadOnlyList<double> EpochLosses,
    double? TestAccuracy,
    DateTimeOffset FinishedAt,
    string Recipe = "lesson",
    string Optimizer = "sgd",
    double Momentum = 0,
    bool Nesterov = false,
    double WeightDecay = 0,
    string Schedule = "constant",
    string Augment = "none",
    double LabelSmoothing = 0,
    int Validation = 0,
    string Keep = "last",
    int? KeptEpoch = null,
    int AveragedEpochs = 0,
    IReadOnlyList<double>? ValidationAccuracies = null,
    IReadOnlyList<double>? TestAccuracies = null);
