using System.Diagnostics;
using MnistTrainer.Model;
using MnistTrainer.Resources;
using MnistTrainer.Training;
using static TorchSharp.torch;

namespace MnistTrainer.Cli;

/// <summary>
/// What <c>train</c> says while it runs: the run's settings before it starts; on a terminal a live bar during each
/// epoch, and after each epoch one plain line with the lesson's figure, the test accuracy and the epoch's time (and,
/// with <paramref name="showMemory"/>, a line on the process's memory); a side output that failed. Words follow the
/// language of <see cref="Language"/>; numbers are always invariant ("0.4327") so scripts can parse them.
/// </summary>
public sealed class TrainingReporter(Terminal terminal, bool showMemory = false) : IProgress<TrainingProgress>, IProgress<SideOutputFailed>
{
    const int BarWidth = 30;
    const double MiB = 1024 * 1024;
    DateTime lastDraw;

    public void Starting(TrainingOptions options, TrainingState? resumedAt)
    {
        terminal.Out.WriteLine(Language.Format(Strings.TrainNetwork, MnistNetwork.Description));
        terminal.Out.WriteLine(Language.Format(Strings.TrainSettings, options.Epochs, options.LearningRate, options.BatchSize, options.Seed, get_num_threads()));
        // The settings beyond the lesson's four, only when some differ from the lesson's (every default).
        if (options != new TrainingOptions(options.Epochs, options.LearningRate, options.BatchSize, options.Seed))
            terminal.Out.WriteLine(Language.Format(Strings.TrainMoreSettings, options.Recipe,
                SettingNames.Of(SettingNames.Optimizers, options.Optimizer), options.Momentum, options.Nesterov ? Strings.TrainNesterov : "", options.WeightDecay,
                SettingNames.Of(SettingNames.Schedules, options.Schedule), SettingNames.Of(SettingNames.Augmentations, options.Augment), options.LabelSmoothing,
                options.Validation, SettingNames.Of(SettingNames.Keeps, options.Keep), options.AverageEpochs));
        if (resumedAt != null)
            terminal.Out.WriteLine(Language.Format(Strings.TrainResuming, resumedAt.Epoch, resumedAt.Batch + 1));
        if (showMemory) terminal.Out.WriteLine($"  {MemoryLine()}");
    }

    public void Report(TrainingProgress progress)
    {
        switch (progress)
        {
            case BatchCompleted b when terminal.IsInteractive:
                if ((DateTime.UtcNow - lastDraw).TotalMilliseconds < 100) return;
                lastDraw = DateTime.UtcNow;
                int filled = BarWidth * b.Batch / b.Batches;
                string bar = new string('#', filled) + new string('.', BarWidth - filled);
                terminal.Out.Write("\r" + Language.Format(Strings.EpochProgress, b.Epoch, b.Epochs, bar, b.Batch, b.Batches, b.AverageLoss));
                break;
            case WeightsChosen w:
                terminal.Out.WriteLine(ChosenLine(w));
                break;
            case EpochCompleted e:
                if (terminal.IsInteractive) terminal.Out.Write("\r\u001b[2K");
                terminal.Out.WriteLine(EpochLine(e));
                if (showMemory && !e.Replayed) terminal.Out.WriteLine($"  {MemoryLine()}"); // today's memory says nothing of a replayed epoch
                break;
        }
    }

    public void Report(SideOutputFailed failed) =>
        ErrorReport.Warning(terminal.Error, $"{OptionOf(failed.Output)} {failed.Problem.Message}; training goes on without it.");

    public static string OptionOf(SideOutput output) => output switch
    {
        SideOutput.Plot => "--plot",
        SideOutput.Metrics => "--metrics",
        _ => "--logdir",
    };

    public static string EpochLine(EpochCompleted e)
    {
        string validation = e is { ValidationLoss: double loss, ValidationAccuracy: double v } ? Language.Format(Strings.EpochValidation, loss, Language.Percent(v)) : "";
        return Language.Format(Strings.EpochLine, e.Epoch, e.Epochs, e.AverageLoss, validation + TestAccuracy(e.TestAccuracy), e.Duration.TotalSeconds);
    }

    static string ChosenLine(WeightsChosen w) => w.KeptEpoch is int epoch
        ? Language.Format(Strings.TrainKeptBest, epoch, Language.Percent(w.ValidationAccuracy ?? double.NaN), TestAccuracy(w.TestAccuracy))
        : Language.Format(Strings.TrainKeptAverage, w.AveragedEpochs,
            w.ValidationAccuracy is double v ? Language.Format(Strings.EpochValidationAccuracy, Language.Percent(v)) : "", TestAccuracy(w.TestAccuracy));

    static string TestAccuracy(double? accuracy) => accuracy is double a ? Language.Format(Strings.EpochTestAccuracy, Language.Percent(a)) : "";

    /// <summary>
    /// The process's memory, for <c>train --diagnostics</c>: resident set (RSS) now and at its peak, the managed heap,
    /// garbage collections so far, and the time since the process started.
    /// </summary>
    static string MemoryLine()
    {
        using var process = Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        return $"memory: rss {Environment.WorkingSet / MiB:F0} MiB, peak {process.PeakWorkingSet64 / MiB:F0} MiB, " +
               $"managed heap {GC.GetTotalMemory(false) / MiB:F0} MiB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, " +
               $"{sinceStart.TotalSeconds:F2} s since start";
    }
}
