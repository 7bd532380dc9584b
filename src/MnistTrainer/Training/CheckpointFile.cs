using MnistTrainer.Files;
using MnistTrainer.Model;
using TorchSharp.Modules;

namespace MnistTrainer.Training;

/// <summary>An interrupted run: its settings, where it stopped, and the network's weights at that point.</summary>
public sealed record Checkpoint(string Dataset, int TrainCount, string ModelPath, TrainingOptions Options, TrainingState State, Sequential Network);

/// <summary>
/// The checkpoint file, written next to the model when a run is interrupted: a <see cref="TaggedFile"/> tagged
/// <c>MNISTCKP</c> whose header holds the run's settings and its <see cref="TrainingState"/>.
/// </summary>
public static class CheckpointFile
{
    // Version 2: the layout of model files (version 1 had a checksum of the whole file after the tag).
    // The header carries the run's state, with the best epoch's and the averaged weights (about 0.6 MB each in base64).
    static readonly TaggedFormat Format = new("MNISTCKP", Version: 2, Name: "checkpoint", Noun: "checkpoint", MaxHeaderBytes: 8 << 20);

    /// <summary>What the checkpoint says about its run, apart from the weights.</summary>
    sealed record Header(string Dataset, int TrainCount, string ModelPath, TrainingOptions Options, TrainingState State);

    public static string PathFor(string modelPath) => modelPath + ".ckpt";

    public static void Save(string path, Checkpoint checkpoint) =>
        TaggedFile.Write(path, Format, new Header(checkpoint.Dataset, checkpoint.TrainCount, checkpoint.ModelPath,
            checkpoint.Options, checkpoint.State), writer => checkpoint.Network.save(writer));

    public static Checkpoint Load(string path)
    {
        var file = TaggedFile.Read<Header>(path, Format);
        var header = file.Header;
        CheckHeader(path, header);
        var network = MnistNetwork.Create();
        try
        {
            using var reader = file.WeightsReader();
            network.load(reader, strict: true);
            TrainingStateIO.CheckRestorable(header.State, header.Options, network);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new ModelFileException(path, $"checkpoint weights or training state cannot be restored ({e.Message})", e);
        }
        return new Checkpoint(header.Dataset, header.TrainCount, header.ModelPath, header.Options, header.State, network);
    }

    static void CheckHeader(string path, Header header)
    {
        var (options, state) = (header.Options, header.State);
        if (header.Dataset == null || header.ModelPath == null || options == null || state?.EpochLosses == null
            || state.ShuffleState == null || state.TorchRngState == null || state.OptimizerState == null)
            throw new ModelFileException(path, "checkpoint header is incomplete");
        // The run trains on what --validation leaves of the training images.
        int trained = header.TrainCount - options.Validation;
        int batches = options.BatchSize < 1 || trained < 1 ? 0 : (trained + options.BatchSize - 1) / options.BatchSize;
        if (options.Epochs < 1 || batches < 1 || state.Epoch < 1 || state.Epoch > options.Epochs
            || state.Batch < 0 || state.Batch >= batches || state.EpochLosses.Count != state.Epoch - 1)
            throw new ModelFileException(path, "checkpoint header does not describe a possible position in a run");
    }
}
