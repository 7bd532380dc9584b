using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Tests.Robustness;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Training;

/// <summary>train's work called as a service, without a console: what it reports and returns is data.</summary>
public sealed class TrainingRunTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    static readonly LabeledImages All = MiniDataset.MadeUp(MiniDataset.TrainCount + MiniDataset.TestCount);

    TrainingRequest Request(string? metrics = null) => new(DatasetInfo.Mnist, new TrainingOptions(Epochs: 2, LearningRate: 0.05, BatchSize: 64, Seed: 7),
        All.Slice(0, MiniDataset.TrainCount), All.Slice(MiniDataset.TrainCount, MiniDataset.TestCount), folder["m.model"], folder["m.model.ckpt"],
        MetricsPath: metrics);

    sealed class Collect<T>(List<T> reports) : IProgress<T>
    {
        public void Report(T value) => reports.Add(value);
    }

    [Fact]
    public void Saves_the_model_it_reported_and_the_side_outputs()
    {
        var reports = new List<TrainingProgress>();
        var outcome = TrainingRun.Run(Request(folder["m.csv"]), new Collect<TrainingProgress>(reports));

        Assert.Equal((folder["m.model"], null, null), (outcome.SavedTo, outcome.SaveFailed, outcome.InterruptedAt));
        Assert.Equal([folder["m.csv"]], outcome.Written);
        Assert.Empty(outcome.Incomplete);
        var epochs = reports.OfType<EpochCompleted>().ToList();
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        using var model = ModelFile.Load(folder["m.model"]);
        Assert.Equal(epochs.Select(e => e.AverageLoss), model.Metadata.Training!.EpochLosses);
        Assert.Equal(epochs[^1].TestAccuracy, model.Metadata.Training.TestAccuracy);
        Assert.Equal(3, File.ReadAllLines(folder["m.csv"]).Length);
    }

    [Fact]
    public void A_cancelled_run_saves_a_checkpoint_instead_of_the_model()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var outcome = TrainingRun.Run(Request(), cancel: cancel.Token);

        Assert.Equal((folder["m.model.ckpt"], null), (outcome.SavedTo, outcome.SaveFailed));
        Assert.Equal((1, 0), (outcome.InterruptedAt!.Epoch, outcome.InterruptedAt.Batch));
        Assert.False(File.Exists(folder["m.model"]));
        var checkpoint = CheckpointFile.Load(outcome.SavedTo, _ => null);
        using var network = checkpoint.Network;
        Assert.Equal((DatasetInfo.Mnist.Name, MiniDataset.TrainCount, 2), (checkpoint.Dataset, checkpoint.TrainCount, checkpoint.Options.Epochs));
    }

    [LinuxFact]
    public void A_side_output_that_fails_is_reported_and_named_and_the_model_is_saved()
    {
        var failures = new List<SideOutputFailed>();
        var outcome = TrainingRun.Run(Request("/dev/full"), failures: new Collect<SideOutputFailed>(failures));

        Assert.Equal(folder["m.model"], outcome.SavedTo);
        Assert.Equal((SideOutput.Metrics, "/dev/full"), (Assert.Single(failures).Output, failures[0].Path));
        Assert.Contains("No space left on device", failures[0].Problem.Message);
        Assert.Equal(failures, outcome.Incomplete);
        Assert.Empty(outcome.Written);
        Assert.True(File.Exists(folder["m.model"]));
    }
}
