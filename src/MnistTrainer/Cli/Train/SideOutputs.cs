using MnistTrainer.Files;
using MnistTrainer.Monitoring;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>A file beside the model that failed: the option that asked for it and why.</summary>
public sealed record SideOutputFailed(string Option, FileProblemException Problem);

/// <summary>
/// The files <c>train</c> writes beside the model (--plot, --metrics, --logdir), fed the epochs as they are reported.
/// One that fails mid-run (a full disk, a removed folder, a permission) is reported once to <c>failures</c> and dropped:
/// training goes on and the model is saved, since the weights matter more than their curves; <see cref="Incomplete"/>
/// then names it, and the command's exit code says so.
/// </summary>
public sealed class SideOutputs : IProgress<TrainingProgress>, IDisposable
{
    sealed record Output(string Option, string Path, IProgress<TrainingProgress> Listener, Action<string>? Finish = null)
    {
        public bool Failed { get; set; }
    }

    readonly List<Output> outputs = [];
    readonly List<string> incomplete = [];
    readonly IProgress<SideOutputFailed>? failures;

    public SideOutputs(string? plotPath, string? metricsPath, string? logFolder, IProgress<SideOutputFailed>? failures)
    {
        this.failures = failures;
        if (plotPath != null)
        {
            var plot = new CurvesPlot();
            outputs.Add(new Output("--plot", plotPath, plot, path => OutputFile.Write(path, plot.WritePng)));
        }
        if (metricsPath != null) Try("--metrics", metricsPath, () => outputs.Add(new Output("--metrics", metricsPath, new MetricsFile(metricsPath))));
        if (logFolder != null) Try("--logdir", logFolder, () => outputs.Add(new Output("--logdir", logFolder, new TensorBoardLog(logFolder))));
    }

    /// <summary>The outputs that could not be written in full, as "--metrics FILE".</summary>
    public IReadOnlyList<string> Incomplete => incomplete;

    public void Report(TrainingProgress value)
    {
        foreach (var output in outputs.Where(o => !o.Failed))
            Try(output, () => output.Listener.Report(value));
    }

    /// <summary>Draws the plot and closes the files; the paths written in full, in the order of the options.</summary>
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

    /// <summary>Runs a write of <paramref name="output"/>; a failed output was reported once and fails quietly after.</summary>
    void Try(Output output, Action write)
    {
        if (!output.Failed) output.Failed = !Try(output.Option, output.Path, write);
        else try { write(); } catch (Exception e) when (e is FileProblemException or IOException or UnauthorizedAccessException) { }
    }

    bool Try(string option, string path, Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception e) when (e is FileProblemException or IOException or UnauthorizedAccessException)
        {
            failures?.Report(new SideOutputFailed(option, e as FileProblemException ?? FileFailure.Writing(path, e)));
            incomplete.Add($"{option} {path}");
            return false;
        }
    }
}
