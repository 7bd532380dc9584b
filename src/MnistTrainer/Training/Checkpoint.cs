using MnistTrainer.Files;
using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// Where an interrupted run stopped, with everything needed to continue it exactly as if it had not
/// stopped (the network's weights are kept beside it, see <see cref="CheckpointFile"/>). The learning
/// rate schedule and the augmentation depend only on the position (epoch, batch), so they need no
/// state of their own.
/// </summary>
/// <param name="Epoch">The epoch in progress, from 1.</param>
/// <param name="Batch">How many of its batches are done; the next one to run.</param>
/// <param name="RunningLoss">The sum of those batches' losses, so the epoch's figure comes out as without the stop.</param>
/// <param name="EpochLosses">The figures of the epochs already finished.</param>
/// <param name="TestAccuracy">The test accuracy after the last finished epoch.</param>
/// <param name="ShuffleState">The shuffle generator as it was before this epoch's permutation, so the same order is drawn again.</param>
/// <param name="TorchRngState">Torch's global generator (not used by this network's training today, kept so nothing random can differ).</param>
/// <param name="OptimizerState">The optimizer's state dict (momentum buffers, Adam's moments and step count; empty for plain SGD).</param>
/// <param name="History">The finished epochs' reports, so curves and metrics of a resumed run cover the whole run.</param>
/// <param name="BestEpoch">With <see cref="KeepWeights.Best"/>: the epoch with the best validation accuracy so far (0: none yet), its accuracy and weights.</param>
/// <param name="AverageWeights">With weight averaging: the running average of the epochs averaged so far, and how many.</param>
public sealed record TrainingState(
    int Epoch, int Batch, double RunningLoss, IReadOnlyList<double> EpochLosses, double? TestAccuracy,
    byte[] ShuffleState, byte[] TorchRngState, byte[] OptimizerState,
    IReadOnlyList<EpochCompleted>? History = null,
    int BestEpoch = 0, double BestValidationAccuracy = 0, byte[]? BestWeights = null,
    byte[]? AverageWeights = null, int AveragedEpochs = 0)
{
    /// <summary>The state at a position in the run, with torch's global generator and the optimizer's state as they are now.</summary>
    public static TrainingState Capture(int epoch, int batch, double runningLoss, IReadOnlyList<double> epochLosses,
        double? testAccuracy, byte[] shuffleState, OptimizerHelper optimizer)
    {
        using var global = random.get_rng_state();
        var optimizerState = new MemoryStream();
        using (var writer = new BinaryWriter(optimizerState)) optimizer.save_state_dict(writer);
        return new TrainingState(epoch, batch, runningLoss, [.. epochLosses], testAccuracy,
            shuffleState, global.data<byte>().ToArray(), optimizerState.ToArray());
    }

    public static byte[] StateOf(Generator generator)
    {
        using var state = generator.get_state();
        return state.data<byte>().ToArray();
    }

    /// <summary>Puts the generators and the optimizer back as they were.</summary>
    public void Restore(Generator shuffle, OptimizerHelper optimizer)
    {
        using (var shuffleState = tensor(ShuffleState)) shuffle.set_state(shuffleState);
        if (TorchRngState.Length > 0)
            using (var global = tensor(TorchRngState)) // under the lock of seeded network creation, which it would disturb
                MnistNetwork.DrawingFromTheGlobalGenerator(() => { random.set_rng_state(global); return 0; });
        using var reader = new BinaryReader(new MemoryStream(OptimizerState));
        optimizer.load_state_dict(reader);
    }

    /// <summary>Throws if the generator, optimizer or saved-weights parts could not be restored for <paramref name="network"/> and <paramref name="options"/>.</summary>
    public void CheckRestorable(TrainingOptions options, Sequential network)
    {
        using var scratch = new Generator(0);
        using (var sample = scratch.get_state())
            if (ShuffleState.Length != sample.NumberOfElements || TorchRngState.Length != sample.NumberOfElements)
                throw new InvalidDataException("the random generator states have the wrong size");
        int weights = network.parameters().Sum(p => (int)p.numel()) * sizeof(float);
        if (BestWeights is { } best && best.Length != weights || AverageWeights is { } average && average.Length != weights)
            throw new InvalidDataException("the saved best or averaged weights do not fit the network");
        using var optimizer = Optimizers.Create(options, network.parameters());
        (this with { TorchRngState = [] }).Restore(scratch, optimizer);
    }
}

/// <summary>
/// A run stopped by its cancellation token before the end. <see cref="State"/> says where, so the
/// caller can save a checkpoint; a caller that does not is still told the run did not finish.
/// </summary>
public sealed class TrainingInterruptedException(TrainingState state, CancellationToken token)
    : OperationCanceledException("Training was interrupted.", token)
{
    public TrainingState State { get; } = state;
}

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
        TaggedFileContent<Header> file;
        try
        {
            file = TaggedFile.Read<Header>(path, Format);
        }
        catch (DamagedFileException e) { throw new CheckpointException(path, e.Problem, e); }
        var header = file.Header;
        CheckHeader(path, header, checkSettings);
        var network = MnistNetwork.Create();
        try
        {
            using var reader = file.WeightsReader();
            network.load(reader, strict: true);
            header.State.CheckRestorable(header.Options, network);
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
