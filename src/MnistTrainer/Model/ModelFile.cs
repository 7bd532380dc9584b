using MnistTrainer.Files;
using TorchSharp.Modules;

namespace MnistTrainer.Model;

public sealed record TrainedModel(Sequential Network, ModelMetadata Metadata) : IDisposable
{
    public void Dispose() => Network.Dispose();
}

/// <summary>A model file whose content does not fit this program's network (reading and writing problems are <see cref="FileProblemException"/>s of the IO layer).</summary>
public sealed class ModelFileException(string path, string problem, Exception? inner = null) : FileProblemException(path, problem, inner);

/// <summary>
/// The model file: a <see cref="TaggedFile"/> tagged <c>MNISTMDL</c> whose header holds the <see cref="ModelMetadata"/>.
/// </summary>
public static class ModelFile
{
    /// <summary>What messages call a model file ("model file not found").</summary>
    public const string Noun = "model file";
    static readonly TaggedFormat Format = new("MNISTMDL", Version: 1, Name: "model", Noun: Noun);

    sealed record Header(ModelMetadata Metadata);

    public static void Save(string path, Sequential network, ModelMetadata metadata) =>
        TaggedFile.Write(path, Format, new Header(metadata), writer => network.save(writer));

    public static TrainedModel Load(string path)
    {
        var file = TaggedFile.Read<Header>(path, Format);
        var metadata = file.Header.Metadata;
        if (metadata?.LayerSizes == null || metadata.ClassNames == null)
            throw new ModelFileException(path, "model header is incomplete");
        if (!metadata.LayerSizes.SequenceEqual(MnistNetwork.LayerSizes))
            throw new ModelFileException(path, $"model has layers {string.Join("-", metadata.LayerSizes)}, this program's network is {string.Join("-", MnistNetwork.LayerSizes)}");
        if (metadata.ClassNames.Count != MnistNetwork.LayerSizes[^1])
            throw new ModelFileException(path, $"model names {metadata.ClassNames.Count} classes for {MnistNetwork.LayerSizes[^1]} outputs");

        var network = MnistNetwork.Create();
        try
        {
            using var reader = file.WeightsReader();
            network.load(reader, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new ModelFileException(path, $"weights do not fit the network ({e.Message})", e);
        }
        return new TrainedModel(network, metadata);
    }
}

/// <summary>What <c>predict</c> needs besides the weights, and how the model was made.</summary>
public sealed record ModelMetadata(
    string Dataset, IReadOnlyList<string> ClassNames, IReadOnlyList<int> LayerSizes, string Architecture,
    double NormalizationMean, double NormalizationStd, TrainingSummary? Training)
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
    int Epochs, double LearningRate, int BatchSize, long Seed,
    IReadOnlyList<double> EpochLosses, double? TestAccuracy, DateTimeOffset FinishedAt,
    string Recipe = "lesson", string Optimizer = "sgd", double Momentum = 0, bool Nesterov = false, double WeightDecay = 0,
    string Schedule = "constant", string Augment = "none", double LabelSmoothing = 0,
    int Validation = 0, string Keep = "last", int? KeptEpoch = null, int AveragedEpochs = 0,
    IReadOnlyList<double>? ValidationAccuracies = null, IReadOnlyList<double>? TestAccuracies = null);
