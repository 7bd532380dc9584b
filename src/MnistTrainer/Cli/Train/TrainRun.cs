using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>
/// What <c>train</c> is asked to do, read from the command line and checked against the data: the run's settings
/// (from the options, or from <see cref="Resume"/>, whose network it continues), its images, and where its files go.
/// </summary>
public sealed record TrainRequest(DatasetInfo Dataset, TrainingOptions Options, LabeledImages Train, LabeledImages Test,
    string ModelPath, string CheckpointPath)
{
    public Checkpoint? Resume { get; init; }
    public TrainingEngine Engine { get; init; }
    public string? Plot { get; init; }
    public string? Metrics { get; init; }
    public string? LogDir { get; init; }
}

/// <summary>
/// What a run did. <see cref="SavedTo"/> is the model file or, when the run was interrupted at <see cref="InterruptedAt"/>,
/// its checkpoint; when <see cref="SaveFailed"/> says why it could not be written where asked, it is a rescue file.
/// <see cref="Written"/> and <see cref="Incomplete"/>: the side outputs written in full, and those not ("--metrics FILE").
/// </summary>
public sealed record TrainOutcome(string SavedTo, FileProblemException? SaveFailed, TrainingState? InterruptedAt,
    IReadOnlyList<string> Written, IReadOnlyList<string> Incomplete);

/// <summary>
/// <c>train</c>'s work, without the console: trains a network on a request, saves the model (or, when cancelled, a
/// checkpoint to resume from) and the side outputs, and returns what happened; <see cref="TrainCommand"/> words it.
/// </summary>
public static class TrainRun
{
    /// <exception cref="FileProblemException">The model or checkpoint could be saved nowhere (the first failure).</exception>
    public static TrainOutcome Run(TrainRequest request, IProgress<TrainingProgress>? progress = null,
        IProgress<SideOutputFailed>? failures = null, CancellationToken cancel = default)
    {
        var (dataset, options) = (request.Dataset, request.Options);
        var (trainImages, validationImages) = options.Validation > 0
            ? ValidationSplit.Split(request.Train, options.Validation, options.Seed)
            : (request.Train, null);
        using var train = new ImageTensors(trainImages);
        using var test = new ImageTensors(request.Test);
        using var validation = validationImages != null ? new ImageTensors(validationImages) : null;
        using var freshNetwork = request.Resume == null ? Trainer.NewNetwork(options.Seed) : null;
        var network = request.Resume?.Network ?? freshNetwork!;
        using var sideOutputs = new SideOutputs(request.Plot, request.Metrics, request.LogDir, failures);
        TrainingResult result;
        try
        {
            result = new Trainer(options) { Engine = request.Engine }
                .Run(network, train, test, new Both(progress, sideOutputs), cancel, request.Resume?.State, validation);
        }
        catch (TrainingInterruptedException stop)
        {
            var checkpoint = new Checkpoint(dataset.Name, request.Train.Count, options, stop.State, network);
            var (savedTo, failed) = SaveOrRescue(request.CheckpointPath, $"{dataset.Name}.model.ckpt", path => CheckpointFile.Save(path, checkpoint));
            return new TrainOutcome(savedTo, failed, stop.State, [], sideOutputs.Incomplete);
        }
        // The images (55 MB with the test set) are of no more use: freed and returned to the system first,
        // the save's few MB of serializer and hashing come on top of less, and the run's peak stays its training's.
        train.Dispose();
        test.Dispose();
        validation?.Dispose();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        var metadata = ModelMetadata.For(dataset.Name, dataset.ClassNames, RunSummary.Of(options, result));
        var (modelTo, modelFailed) = SaveOrRescue(request.ModelPath, $"{dataset.Name}.model", path => ModelFile.Save(path, network, metadata));
        var written = modelFailed == null ? sideOutputs.Finish() : [];
        return new TrainOutcome(modelTo, modelFailed, null, written, sideOutputs.Incomplete);
    }

    /// <summary>
    /// Saves the run's weights with <paramref name="save"/> at <paramref name="path"/>; when that fails (a full disk, a
    /// removed folder), at a fresh name in the current folder, else in the temporary folder: only if every place fails
    /// are the weights lost, and the first failure is the error. Returns where they were saved, and why not at <paramref name="path"/>.
    /// </summary>
    static (string SavedTo, FileProblemException? Failed) SaveOrRescue(string path, string fileName, Action<string> save)
    {
        try
        {
            save(path);
            return (path, null);
        }
        catch (FileProblemException failed)
        {
            var rescueName = $"rescued-{DateTime.Now:yyyyMMdd-HHmmss}-{fileName}";
            foreach (var folder in new[] { Directory.GetCurrentDirectory(), Path.GetTempPath() })
            {
                var rescue = Path.Combine(folder, rescueName);
                try
                {
                    save(rescue);
                    return (rescue, failed);
                }
                catch (FileProblemException) { }
            }
            throw;
        }
    }

    /// <summary>Passes each report to the caller's listener and to the side outputs.</summary>
    sealed class Both(IProgress<TrainingProgress>? first, IProgress<TrainingProgress> second) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            first?.Report(value);
            second.Report(value);
        }
    }
}
