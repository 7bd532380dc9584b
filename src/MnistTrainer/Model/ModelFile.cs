using MnistTrainer.Files;
using TorchSharp.Modules;

namespace MnistTrainer.Model;

/// <summary>A trained network with its metadata.</summary>
public sealed record TrainedModel(Sequential Network, ModelMetadata Metadata) : IDisposable
{
    public void Dispose() => Network.Dispose();
}

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
