using System.Text.Json;
using MnistTrainer.Monitoring;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Monitoring;

public sealed class MetricsFileTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("run.jsonl")]
    [InlineData("run.csv")]
    public void A_diverged_epoch_is_written_instead_of_failing_the_run(string name)
    {
        var path = folder[name];
        using (var metrics = new MetricsFile(path))
            metrics.Report(new EpochCompleted(1, 3, double.NaN, TimeSpan.FromSeconds(1), TestAccuracy: 0.1));

        var row = File.ReadAllLines(path)[^1];
        if (name.EndsWith(".jsonl"))
            Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(row).RootElement.GetProperty("training_loss").ValueKind);
        else
            Assert.StartsWith("1,NaN,", row);
    }
}
