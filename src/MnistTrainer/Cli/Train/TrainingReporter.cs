using MnistTrainer.Resources;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>
/// Renders training progress: on a terminal a live bar during each epoch, and after each epoch one
/// plain line with the lesson's figure, the test accuracy and the epoch's time (and, with
/// <paramref name="showMemory"/>, a line on the process's memory). Words follow the
/// language of <see cref="Language"/>; numbers are always invariant ("0.4327") so scripts can parse them.
/// </summary>
public sealed class TrainingReporter(Terminal terminal, bool showMemory = false) : IProgress<TrainingProgress>
{
    const int BarWidth = 30;
    DateTime lastDraw;

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
                if (showMemory && !e.Replayed) terminal.Out.WriteLine($"  {MemoryReport.Line()}"); // today's memory says nothing of a replayed epoch
                break;
        }
    }

    public static string EpochLine(EpochCompleted e)
    {
        string validation = e is { ValidationLoss: double loss, ValidationAccuracy: double v } ? Language.Format(Strings.EpochValidation, loss, v * 100) : "";
        return Language.Format(Strings.EpochLine, e.Epoch, e.Epochs, e.AverageLoss, validation + TestAccuracy(e.TestAccuracy), e.Duration.TotalSeconds);
    }

    static string ChosenLine(WeightsChosen w) => w.KeptEpoch is int epoch
        ? Language.Format(Strings.TrainKeptBest, epoch, w.ValidationAccuracy * 100, TestAccuracy(w.TestAccuracy))
        : Language.Format(Strings.TrainKeptAverage, w.AveragedEpochs,
            w.ValidationAccuracy is double v ? Language.Format(Strings.EpochValidationAccuracy, v * 100) : "", TestAccuracy(w.TestAccuracy));

    static string TestAccuracy(double? accuracy) => accuracy is double a ? Language.Format(Strings.EpochTestAccuracy, a * 100) : "";
}
