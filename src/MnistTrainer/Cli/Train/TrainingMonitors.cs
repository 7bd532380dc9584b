using MnistTrainer.Files;
using MnistTrainer.Monitoring;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>
/// The files <c>train</c> was asked to write besides the model (--plot, --metrics, --logdir): each is
/// opened (or checked writable) before training, fed the epochs as they are reported, and finished
/// after the run.
/// </summary>
public sealed class TrainingMonitors : IDisposable
{
    readonly string? plotPath;
    readonly CurvesPlot? plot;
    readonly MetricsFile? metrics;
    readonly List<string> written = [];

    TrainingMonitors(string? plotPath, CurvesPlot? plot, MetricsFile? metrics, TensorBoardLog? tensorBoard, IEnumerable<string> written)
    {
        (this.plotPath, this.plot, this.metrics) = (plotPath, plot, metrics);
        Listeners = new IProgress<TrainingProgress>?[] { plot, metrics, tensorBoard }.OfType<IProgress<TrainingProgress>>().ToList();
        this.written.AddRange(written);
    }

    public IReadOnlyList<IProgress<TrainingProgress>> Listeners { get; }

    public static TrainingMonitors Open(string? plotPath, string? metricsPath, string? logFolder)
    {
        if (plotPath != null) OutputFile.CheckWritable(plotPath);
        MetricsFile? metrics = null;
        if (metricsPath != null) FileFailure.Writing(metricsPath, () => metrics = new MetricsFile(metricsPath));
        TensorBoardLog? tensorBoard = null;
        try
        {
            if (logFolder != null) FileFailure.Writing(logFolder, () => tensorBoard = new TensorBoardLog(logFolder));
        }
        catch
        {
            metrics?.Dispose();
            throw;
        }
        return new TrainingMonitors(plotPath, plotPath != null ? new CurvesPlot() : null, metrics, tensorBoard,
            new[] { metricsPath, logFolder }.OfType<string>());
    }

    /// <summary>Draws the plot and closes the files; the paths written, in the order of the options.</summary>
    public IReadOnlyList<string> Finish()
    {
        metrics?.Dispose();
        if (plot != null && plotPath != null)
        {
            OutputFile.Write(plotPath, plot.WritePng);
            written.Insert(0, plotPath);
        }
        return written;
    }

    public void Dispose() => metrics?.Dispose();
}
