using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>
/// Renders training progress: on a terminal a live bar during each epoch, and after each epoch one
/// plain line with the lesson's figure, the test accuracy and the epoch's time.
/// </summary>
public sealed class TrainingReporter(Terminal terminal) : IProgress<TrainingProgress>
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
                terminal.Out.Write($"\rEpoch {b.Epoch}/{b.Epochs} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {b.Batch}/{b.Batches}  loss {b.AverageLoss:F4}");
                break;
            case EpochCompleted e:
                if (terminal.IsInteractive) terminal.Out.Write("\r\u001b[2K");
                terminal.Out.WriteLine(EpochLine(e));
                break;
        }
    }

    public static string EpochLine(EpochCompleted e)
    {
        string accuracy = e.TestAccuracy is double a ? $"  test accuracy: {a * 100:F2}%" : "";
        return $"Epoch {e.Epoch}/{e.Epochs}  training loss: {e.AverageLoss:F4}{accuracy}  ({e.Duration.TotalSeconds:F2} s)";
    }
}
