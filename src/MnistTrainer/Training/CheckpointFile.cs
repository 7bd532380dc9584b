using MnistTrainer.Files;
using MnistTrainer.Model;
using TorchSharp.Modules;

namespace MnistTrainer.Training;

/// <summary>An interrupted run: its settings, where it stopped, and the network's weights at that point.</summary>
/// <remarks>Where the resumed run saves its model is not in here: that is the command line's to say, never a file's.</remarks>
public sealed record Checkpoint(string Dataset, int TrainCount, TrainingOptions Options, TrainingState State, Sequential Network);

/// <summary>A checkpoint that is damaged, edited or describes no possible run: it is data, so it is refused rather than obeyed.</summary>
public sealed class CheckpointException(string path, string problem, Exception? inner = null) : FileProblemException(path, problem, inner);

/// <summary>
/// The checkpoint file, written when a run is interrupted: a <see cref="TaggedFile"/> tagged <c>MNISTCKP</c> whose
/// header holds the run's settings and its <see cref="TrainingState"/>, protected by a checksum over header and weights.
/// </summary>
public static class CheckpointFile
{
    // Version 3: the header has a checksum (TaggedFile's HeaderSha256) and no longer says where the model goes.
    // The header carries the run's state, with the best epoch's and the averaged weights (about 0.6 MB each in base64).
    static readonly TaggedFormat Format = new("MNISTCKP", Version: 3, Name: "checkpoint", Noun: "checkpoint", MaxHeaderBytes: 8 << 20, RequiresHeaderChecksum: true);

    /// <summary>What the checkpoint says about its run, apart from the weights.</summary>
    sealed record Header(string Dataset, int TrainCount, TrainingOptions Options, TrainingState State);

    /// <summary>The checkpoint of the model file <paramref name="modelPath"/>: beside it.</summary>
    public static string PathFor(string modelPath) => modelPath + ".ckpt";

    public static void Save(string path, Checkpoint checkpoint) =>
        TaggedFile.Write(path, Format, new Header(checkpoint.Dataset, checkpoint.TrainCount, checkpoint.Options, checkpoint.State),
            writer => checkpoint.Network.save(writer));

    /// <summary>Reads and checks a checkpoint; <paramref name="checkSettings"/> returns what is wrong with its settings, or null.</summary>
    /// <exception cref="CheckpointException">Damaged, edited, or not a possible position in a possible run.</exception>
    public static Checkpoint Load(string path, Func<TrainingOptions, string?> checkSettings)
    {
        Header header;
        byte[] file;
        int weightsStart, weightsLength;
        try
        {
            var read = TaggedFile.Read<Header>(path, Format);
            (header, file, weightsStart, weightsLength) = (read.Header, read.File, read.WeightsStart, read.WeightsLength);
        }
        catch (DamagedFileException e) { throw new CheckpointException(path, e.Problem, e); }
        CheckHeader(path, header, checkSettings);
        var network = MnistNetwork.Create();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(file, weightsStart, weightsLength, writable: false));
            network.load(reader, strict: true);
            TrainingStateIO.CheckRestorable(header.State, header.Options, network);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new CheckpointException(path, $"checkpoint weights or training state cannot be restored ({e.Message})", e);
        }
        return new Checkpoint(header.Dataset, header.TrainCount, header.Options, header.State, network);
    }

    static void CheckHeader(string path, Header header, Func<TrainingOptions, string?> checkSettings)
    {
        var (options, state) = (header.Options, header.State);
        if (header.Dataset == null || options == null || state?.EpochLosses == null
            || state.ShuffleState == null || state.TorchRngState == null || state.OptimizerState == null)
            throw new CheckpointException(path, "checkpoint header is incomplete");
        if (checkSettings(options) is { } problem)
            throw new CheckpointException(path, $"checkpoint's settings are not possible: {problem}");
        // The run trains on what --validation leaves of the training images.
        int trained = header.TrainCount - options.Validation;
        int batches = trained < 1 ? 0 : (trained + options.BatchSize - 1) / options.BatchSize;
        if (batches < 1 || state.Epoch < 1 || state.Epoch > options.Epochs
            || state.Batch < 0 || state.Batch >= batches || state.EpochLosses.Count != state.Epoch - 1)
            throw new CheckpointException(path, "checkpoint header does not describe a possible position in a run");
    }
}
