using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Monitoring;

namespace MnistTrainer.Training;

/// <summary>
/// A training job: the run's settings (new, or those of <see cref="Resume"/>, whose network it continues), its images,
/// where the model goes (and its checkpoint if the run is stopped), and the side outputs asked for beside it.
/// Its settings fit its images (the caller checks them: a validation set smaller than the training set, a batch no
/// larger than what is left).
/// </summary>
public sealed record TrainingRequest(DatasetInfo Dataset, TrainingOptions Options, LabeledImages Train, LabeledImages Test,
    string ModelPath, string CheckpointPath, Checkpoint? Resume = null, TrainingEngine Engine = TrainingEngine.Manual,
    string? PlotPath = null, string? MetricsPath = null, string? LogFolder = null);

/// <summary>The files a run writes beside the model: the curves as a PNG, one row per epoch, TensorBoard events.</summary>
public enum SideOutput { Plot, Metrics, TensorBoard }

/// <summary>A side output that could not be written: reported once, then dropped while training goes on.</summary>
public sealed record SideOutputFailed(SideOutput Output, string Path, FileProblemException Problem);

/// <summary>
/// What a run did. <see cref="SavedTo"/> is the model file or, when the run was stopped at <see cref="InterruptedAt"/>,
/// its checkpoint; when <see cref="SaveFailed"/> says why it could not be written where asked, it is a rescue file.
/// <see cref="Written"/>: the side outputs written in full; <see cref="Incomplete"/>: those that failed, in that order.
/// </summary>
public sealed record TrainingOutcome(string SavedTo, FileProblemException? SaveFailed, TrainingState? InterruptedAt,
    IReadOnlyList<string> Written, IReadOnlyList<SideOutputFailed> Incomplete);

/// <summary>
/// The train command's work, without a console: trains on a request, saves the model (or, when cancelled, a checkpoint
/// to resume from) and the side outputs, reports through <see cref="IProgress{T}"/> and returns what happened.
/// </summary>
public static class TrainingRun
{
    /// <exception cref="FileProblemException">The model or checkpoint could be saved nowhere (the first failure).</exception>
    public static TrainingOutcome Run(TrainingRequest request, IProgress<TrainingProgress>? progress = null,
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
        using var sideOutputs = new SideOutputs(request, progress, failures);
        TrainingResult result;
        try
        {
            result = new Trainer(options) { Engine = request.Engine }.Run(network, train, test, sideOutputs, cancel, request.Resume?.State, validation);
        }
        catch (TrainingInterruptedException stop)
        {
            var checkpoint = new Checkpoint(dataset.Name, request.Train.Count, options, stop.State, network);
            var (savedTo, failed) = SaveOrRescue(request.CheckpointPath, $"{dataset.Name}.model.ckpt", path => CheckpointFile.Save(path, checkpoint));
            return new TrainingOutcome(savedTo, failed, stop.State, [], sideOutputs.Incomplete);
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
        return new TrainingOutcome(modelTo, modelFailed, null, written, sideOutputs.Incomplete);
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

    /// <summary>
    /// Passes each report to the caller, then to the side outputs. One that fails mid-run (a full disk, a removed folder,
    /// a permission) is reported once and dropped: training goes on and the model is saved, since the weights matter more
    /// than their curves; <see cref="Incomplete"/> then names it.
    /// </summary>
    sealed class SideOutputs : IProgress<TrainingProgress>, IDisposable
    {
        sealed record Output(SideOutput Kind, string Path, Action<string>? Finish = null)
        {
            public IProgress<TrainingProgress>? Listener { get; set; }
            public bool Failed { get; set; }
        }

        readonly List<Output> outputs = [];
        readonly List<SideOutputFailed> incomplete = [];
        readonly IProgress<TrainingProgress>? progress;
        readonly IProgress<SideOutputFailed>? failures;

        public SideOutputs(TrainingRequest request, IProgress<TrainingProgress>? progress, IProgress<SideOutputFailed>? failures)
        {
            (this.progress, this.failures) = (progress, failures);
            var plot = new CurvesPlot();
            Open(SideOutput.Plot, request.PlotPath, _ => plot, plot.Save);
            Open(SideOutput.Metrics, request.MetricsPath, path => new MetricsFile(path));
            Open(SideOutput.TensorBoard, request.LogFolder, path => new TensorBoardLog(path));
        }

        public IReadOnlyList<SideOutputFailed> Incomplete => incomplete;

        void Open(SideOutput kind, string? path, Func<string, IProgress<TrainingProgress>> open, Action<string>? finish = null)
        {
            if (path == null) return;
            var output = new Output(kind, path, finish);
            outputs.Add(output);
            Try(output, () => output.Listener = open(path));
        }

        public void Report(TrainingProgress value)
        {
            progress?.Report(value);
            foreach (var output in outputs.Where(o => !o.Failed))
                Try(output, () => output.Listener!.Report(value));
        }

        /// <summary>Draws the plot and closes the files; the paths written in full, in the order of the outputs.</summary>
        public IReadOnlyList<string> Finish()
        {
            foreach (var output in outputs.Where(o => !o.Failed && o.Finish != null))
                Try(output, () => output.Finish!(output.Path));
            Dispose();
            return [.. outputs.Where(o => !o.Failed).Select(o => o.Path)];
        }

        public void Dispose()
        {
            foreach (var output in outputs)
                if (output.Listener is IDisposable disposable) Try(output, disposable.Dispose);
        }

        /// <summary>Runs a write of <paramref name="output"/>: its first failure is reported, any later one (closing it) passes quietly.</summary>
        void Try(Output output, Action write)
        {
            try
            {
                write();
            }
            catch (Exception e) when (e is FileProblemException or IOException or UnauthorizedAccessException)
            {
                if (output.Failed) return;
                output.Failed = true;
                var failed = new SideOutputFailed(output.Kind, output.Path, e as FileProblemException ?? FileFailure.Writing(output.Path, e));
                incomplete.Add(failed);
                failures?.Report(failed);
            }
        }
    }
}
