using MnistTrainer.Cli;
using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Tests.Data;
using MnistTrainer.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// Interrupting a run saves a checkpoint and leaves the previous model alone; resuming it ends with
/// exactly the weights of a run that was never interrupted.
/// </summary>
public sealed class InterruptResumeTests : IDisposable
{
    readonly MiniDataset data = new();

    public void Dispose() => data.Dispose();

    /// <summary>Cancels the run once <paramref name="batches"/> batches are done, counting across epochs.</summary>
    sealed class CancelAfter(int batches, CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        int done;
        public void Report(TrainingProgress value)
        {
            if (value is BatchCompleted && ++done == batches) source.Cancel();
        }
    }

    [Theory]
    [InlineData(3)]   // in the first epoch
    [InlineData(10)]  // exactly at the end of the first epoch (10 batches of 64)
    [InlineData(14)]  // in the second epoch, whose shuffle order comes from the generator's later state
    public void Resumed_run_ends_with_the_same_weights_bit_for_bit(int stopAfter)
    {
        set_num_threads(1);
        var options = new TrainingOptions(Epochs: 3, LearningRate: 0.05, BatchSize: 64, Seed: 11);
        var images = LoadMini();
        using var train = new ImageTensors(images.Train);
        using var test = new ImageTensors(images.Test);

        using var straight = Trainer.NewNetwork(options.Seed);
        var expected = new Trainer(options).Run(straight, train, test);

        using var cancel = new CancellationTokenSource();
        using var first = Trainer.NewNetwork(options.Seed);
        var stopped = Assert.Throws<TrainingInterruptedException>(() =>
            new Trainer(options).Run(first, train, test, new CancelAfter(stopAfter, cancel), cancel.Token)).State;
        Assert.Equal(stopAfter / 10 + 1, stopped.Epoch);
        Assert.Equal(stopAfter % 10, stopped.Batch);

        var path = Path.Combine(data.Folder, "run.ckpt");
        CheckpointFile.Save(path, new Checkpoint("mnist", train.Count, options, stopped, first));
        var loaded = CheckpointFile.Load(path, _ => null);
        using var resumed = loaded.Network;
        var result = new Trainer(loaded.Options).Run(resumed, train, test, resume: loaded.State);

        Assert.Equal(expected.EpochLosses, result.EpochLosses);
        AssertSameWeights(straight, resumed);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 3)]    // in the first epoch: momentum buffers, schedule and augmentation positions
    [InlineData(OptimizerKind.Sgd, 12)]   // in the second: the best epoch so far and the first averaged one are in the checkpoint
    [InlineData(OptimizerKind.Sgd, 20)]   // in the last
    [InlineData(OptimizerKind.AdamW, 12)] // Adam's moments and step count
    public void Resumed_run_with_every_setting_ends_with_the_same_weights_bit_for_bit(OptimizerKind optimizer, int stopAfter)
    {
        set_num_threads(1);
        var options = new TrainingOptions(Epochs: 3, LearningRate: 0.05, BatchSize: 64, Seed: 12, optimizer, Momentum: 0.9,
            Nesterov: optimizer == OptimizerKind.Sgd, WeightDecay: 5e-4, ScheduleKind.OneCycle, Augmentation.Shift, LabelSmoothing: 0.1,
            Validation: 128, KeepWeights.Best, AverageEpochs: 2);
        var images = LoadMini();
        var (trainImages, validationImages) = ValidationSplit.Split(images.Train, options.Validation, options.Seed);
        using var train = new ImageTensors(trainImages); // 512 images: 8 batches an epoch
        using var validation = new ImageTensors(validationImages);
        using var test = new ImageTensors(images.Test);

        using var straight = Trainer.NewNetwork(options.Seed);
        var expected = new Trainer(options).Run(straight, train, test, validation: validation);

        using var cancel = new CancellationTokenSource();
        using var first = Trainer.NewNetwork(options.Seed);
        var stopped = Assert.Throws<TrainingInterruptedException>(() =>
            new Trainer(options).Run(first, train, test, new CancelAfter(stopAfter, cancel), cancel.Token, validation: validation)).State;
        var path = Path.Combine(data.Folder, "every.ckpt");
        CheckpointFile.Save(path, new Checkpoint("mnist", images.Train.Count, options, stopped, first));
        var loaded = CheckpointFile.Load(path, _ => null);
        Assert.Equal(options, loaded.Options);
        using var resumed = loaded.Network;
        var result = new Trainer(loaded.Options).Run(resumed, train, test, resume: loaded.State, validation: validation);

        Assert.Equal(expected.EpochLosses, result.EpochLosses);
        Assert.Equal(expected.History!.Select(e => e with { Duration = default, Replayed = false }), result.History!.Select(e => e with { Duration = default, Replayed = false }));
        Assert.Equal(expected.Chosen, result.Chosen);
        AssertSameWeights(straight, resumed);
    }

    [Fact]
    public void Interrupted_command_saves_a_checkpoint_keeps_the_old_model_and_resumes_to_the_same_model()
    {
        var output = data.PlantOldModel();
        string[] settings = ["--epochs", "2", "--lr", "0.05"];

        // An interactive terminal draws the progress bar after the first batch: stop there.
        using var cancel = new CancellationTokenSource();
        var outText = new CancelOnText("Epoch 1/2 [", cancel);
        var errText = new StringWriter();
        int code = App.Run(data.TrainArgs(output, settings), new Terminal(outText, errText, true), cancel.Token);

        Assert.Equal(ExitCodes.Interrupted, code);
        var checkpoint = CheckpointFile.PathFor(output);
        Assert.Equal($"Interrupted at epoch 1, batch 2; {output} was not written. Checkpoint saved: continue with  train --resume {checkpoint} -o {output}", errText.ToString().Trim());
        Assert.Equal(MiniDataset.OldModel, File.ReadAllBytes(output));
        Assert.True(File.Exists(checkpoint));

        // Where the model goes is the command line's to say, as the message above says: not the checkpoint's.
        var resumed = CliRun.Of(["train", "--resume", checkpoint, "-o", output, "--data-dir", data.Folder, "--no-download", "--threads", "1"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming at epoch 1, batch 2", resumed.Out);

        var straightPath = Path.Combine(data.Folder, "out", "straight.model");
        var straight = CliRun.Of(data.TrainArgs(straightPath, settings));
        Assert.True(straight.ExitCode == 0, straight.Error);

        using var a = ModelFile.Load(output);
        using var b = ModelFile.Load(straightPath);
        AssertSameWeights(b.Network, a.Network);
        Assert.Equal(b.Metadata.Training!.EpochLosses, a.Metadata.Training!.EpochLosses);
    }

    [Theory]
    [InlineData("--epochs")]
    [InlineData("--lr")]
    [InlineData("--seed")]
    [InlineData("--batch-size")]
    [InlineData("--dataset")]
    [InlineData("--recipe")]
    [InlineData("--momentum")]
    [InlineData("--validation")]
    public void Resume_refuses_options_that_would_change_the_run(string option)
    {
        var value = option switch { "--dataset" => "fashion-mnist", "--lr" => "0.1", "--recipe" => "accurate", "--momentum" => "0.5", _ => "3" };
        var result = CliRun.Of(["train", "--resume", "whatever.ckpt", option, value]);
        result.AssertOneClearError(ExitCodes.UsageError, option, "cannot be given with --resume");
    }

    [Fact]
    public void Resume_from_a_missing_checkpoint()
    {
        var path = Path.Combine(data.Folder, "none.ckpt");
        CliRun.Of(["train", "--resume", path]).AssertOneClearError(ExitCodes.DataError, path, "checkpoint not found");
    }

    [Fact]
    public void Resume_from_a_damaged_checkpoint()
    {
        var output = Path.Combine(data.Folder, "m.model");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Equal(ExitCodes.Interrupted, App.Run(data.TrainArgs(output), new Terminal(new StringWriter(), new StringWriter(), false), cancel.Token));
        var path = CheckpointFile.PathFor(output);
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 1;
        File.WriteAllBytes(path, bytes);

        CliRun.Of(["train", "--resume", path]).AssertOneClearError(ExitCodes.UsageError, path, "checksum does not match");
    }

    [Fact]
    public void Checkpoint_with_a_damaged_generator_state_is_refused_on_load()
    {
        var path = Path.Combine(data.Folder, "bad-state.ckpt");
        using (var network = Trainer.NewNetwork(1))
            CheckpointFile.Save(path, new Checkpoint("mnist", 640, new TrainingOptions(2, 0.01, 64, 1),
                RealState.Of(network, 1, 2) with { ShuffleState = [1, 2, 3] }, network));
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path, _ => null));
        Assert.Contains("random generator states have the wrong size", e.Message);
    }

    [Fact]
    public void Resume_on_other_data_is_refused()
    {
        var output = Path.Combine(data.Folder, "m.model");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        App.Run(data.TrainArgs(output), new Terminal(new StringWriter(), new StringWriter(), false), cancel.Token);
        var path = CheckpointFile.PathFor(output);
        var fewer = LoadMini().Train.Slice(0, 320);
        data.Write(MiniDataset.TrainImages, Idx.Images(fewer));
        data.Write(MiniDataset.TrainLabels, Idx.Labels(fewer));

        CliRun.Of(["train", "--resume", path, "--data-dir", data.Folder, "--no-download"])
            .AssertOneClearError(ExitCodes.UsageError, path, "checkpoint is of a run on 640 training images, but the data has 320");
    }

    (LabeledImages Train, LabeledImages Test) LoadMini() => (
        DatasetFiles.Load(data.PathOf(MiniDataset.TrainImages), data.PathOf(MiniDataset.TrainLabels), 10),
        DatasetFiles.Load(data.PathOf(MiniDataset.TestImages), data.PathOf(MiniDataset.TestLabels), 10));

    static void AssertSameWeights(Sequential expected, Sequential actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var name in a.Keys)
            Assert.True(a[name].data<float>().ToArray().AsSpan().SequenceEqual(b[name].data<float>().ToArray()), $"{name} differs");
    }

    /// <summary>Output that cancels the run when a given text is first written.</summary>
    sealed class CancelOnText(string text, CancellationTokenSource source) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (value != null && value.Contains(text)) source.Cancel();
        }
    }
}
