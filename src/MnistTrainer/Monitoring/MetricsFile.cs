using System.Globalization;
using System.Text;
using System.Text.Json;
using MnistTrainer.Files;
using MnistTrainer.Training;

namespace MnistTrainer.Monitoring;

/// <summary>
/// One row per epoch, written as each epoch ends (so it can be followed while the run goes on; see
/// <see cref="GrowingOutputFile"/>: a file already there is replaced only by the first row, never emptied): CSV
/// with a header line, or JSON lines when the file's name ends in <c>.jsonl</c>. Numbers are invariant
/// and in full precision; a value that was not measured (no validation set) is empty in CSV and
/// null in JSON; a diverged run's NaN is "NaN" in CSV and null in JSON (<see cref="JsonPolicy"/>).
/// </summary>
public sealed class MetricsFile : IProgress<TrainingProgress>, IDisposable
{
    public static readonly IReadOnlyList<string> Columns =
        ["epoch", "training_loss", "validation_loss", "validation_accuracy", "test_loss", "test_accuracy", "learning_rate", "seconds"];

    readonly GrowingOutputFile file;
    readonly bool jsonLines;
    bool started;

    public MetricsFile(string path)
    {
        jsonLines = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);
        file = new GrowingOutputFile(path);
    }

    public void Report(TrainingProgress value)
    {
        if (value is not EpochCompleted e) return;
        double?[] values = [e.Epoch, e.AverageLoss, e.ValidationLoss, e.ValidationAccuracy, e.TestLoss, e.TestAccuracy, e.LearningRate, e.Duration.TotalSeconds];
        var row = jsonLines
            ? JsonSerializer.Serialize(Columns.Zip(values).ToDictionary(c => c.First, c => c.Second), JsonPolicy.Options)
            : string.Join(',', values.Select(v => v?.ToString("R", CultureInfo.InvariantCulture) ?? ""));
        var header = started || jsonLines ? "" : string.Join(',', Columns) + "\n";
        file.Append(Encoding.UTF8.GetBytes(header + row + "\n"));
        started = true;
    }

    public void Dispose() => file.Dispose();
}
