using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>Passes each training report to every listener: the console, and the files asked for.</summary>
public sealed class ProgressBroadcast(IReadOnlyList<IProgress<TrainingProgress>> listeners) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        foreach (var listener in listeners) listener.Report(value);
    }
}
