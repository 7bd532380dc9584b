using MnistTrainer.Cli;
using MnistTrainer.Model;
using MnistTrainer.Training;
using static MnistTrainer.Tests.Robustness.MiniDataset;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// Where features meet, as a user meets them: the real program in its own process, asked for outputs that collide,
/// streams, signals mid-run, a side output that fails, a checkpoint that was edited. Each ends with one clear line,
/// its documented exit code, and no file changed that the user did not ask to change.
/// </summary>
public sealed class PlannedRunTests : IDisposable
{
    readonly MiniDataset data = new();
    readonly TempFolder work = new();
    public void Dispose()
    {
        data.Dispose();
        work.Dispose();
    }

    CliRun Run(params string[] args) => ChildProcess.Run(ChildProcess.StartInfo(args, workingDirectory: work.Path));

    const int Epochs = 50;

    /// <summary>
    /// Trains for <see cref="Epochs"/> short epochs and stops it with <paramref name="signal"/> after the first, whatever
    /// the machine's load: the run writes its metrics into a named pipe nobody reads yet, so it waits after the first
    /// epoch's line; the signal comes then, and the pipe is read once the program had a moment to take the signal
    /// (.NET hands it to another thread). On a very busy machine that thread may run a few epochs late: there are 49 more.
    /// </summary>
    CliRun StoppedAfterFirstEpoch(string output, int signal, bool textOnError = false)
    {
        var fifo = SpecialFiles.MakeFifo(data.PathOf("metrics.fifo"));
        Task<byte[]>? rows = null;
        var run = ChildProcess.SignalWhenSaid(
            ChildProcess.StartInfo(data.TrainArgs(output, "--epochs", $"{Epochs}", "--metrics", fifo), workingDirectory: work.Path),
            $"Epoch 1/{Epochs}", signal, textOnError, afterSignal: () =>
            {
                Thread.Sleep(200);
                rows = SpecialFiles.ReadAllFromFifo(fifo);
            });
        rows!.Wait();
        return run;
    }

    [Theory]
    [InlineData("--plot")]
    [InlineData("--metrics")]
    public void An_output_named_twice_is_refused_before_training_and_the_model_stays(string option)
    {
        var model = data.PlantOldModel();

        var run = Run(data.TrainArgs(model, option, model));

        run.AssertOneClearError(ExitCodes.UsageError, "--output", option, "are the same file");
        Assert.DoesNotContain("Epoch", run.Out);
        Assert.Equal(OldModel, File.ReadAllBytes(model));
    }

    [Fact]
    public void Export_onto_its_own_model_is_refused_and_the_model_stays()
    {
        var model = work["m.model"];
        File.Copy(UntrainedModel.FilePath, model);
        var before = File.ReadAllBytes(model);

        Run("export", "--model", model, "-o", Path.Combine(work.Path, ".", "m.model"))
            .AssertOneClearError(ExitCodes.UsageError, "--output", "--model", "same file");
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void An_output_in_a_folder_that_is_not_there_is_refused_before_training()
    {
        var run = Run(data.TrainArgs("newdir/"));
        run.AssertOneClearError(ExitCodes.UsageError, "--output newdir/ is a folder");
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }

    [Fact]
    public void A_data_folder_that_is_a_file_and_empty_paths_are_one_line_each()
    {
        var file = data.PathOf(TrainImages);
        Run("train", "--data-dir", file).AssertOneClearError(ExitCodes.UsageError, $"--data-dir {file} is a regular file, not a folder");
        Run(data.TrainArgs("")).AssertOneClearError(ExitCodes.UsageError, "--output is empty");
        Run(data.TrainArgs(work["m.model"], "--logdir", "")).AssertOneClearError(ExitCodes.UsageError, "--logdir is empty");
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }

    [Fact]
    public void A_name_of_250_characters_trains_and_saves()
    {
        var name = new string('m', 250);
        var run = Run(data.TrainArgs(name));
        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        using var model = ModelFile.Load(work[name]);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("/dev/stdout")]
    public void A_model_written_to_standard_output_loads_and_the_words_go_to_standard_error(string output)
    {
        var (code, bytes, error) = ChildProcess.RunBinary(ChildProcess.StartInfo(data.TrainArgs(output), workingDirectory: work.Path));

        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("Epoch 1/1", error);
        File.WriteAllBytes(work["piped.model"], bytes);
        using var model = ModelFile.Load(work["piped.model"]);
        Assert.Single(model.Metadata.Training!.EpochLosses);
    }

    [Fact]
    public void Predict_draws_its_figure_to_standard_output_alone()
    {
        var (code, bytes, error) = ChildProcess.RunBinary(ChildProcess.StartInfo(
            ["predict", "--model", UntrainedModel.FilePath, "--index", "0", "--data-dir", data.Folder, "--no-download", "--plot", "-"]));

        Assert.True(code == ExitCodes.Success, error);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Contains("Predicted:", error);
    }

    [Theory]
    [InlineData(ChildProcess.SigTerm, ExitCodes.Terminated)]
    [InlineData(ChildProcess.SigHup, ExitCodes.HungUp)]
    [InlineData(ChildProcess.SigInt, ExitCodes.Interrupted)]
    public void A_stop_signal_saves_a_checkpoint_that_resumes(int signal, int exitCode)
    {
        var model = work["m.model"];

        var stopped = StoppedAfterFirstEpoch(model, signal);

        Assert.True(stopped.ExitCode == exitCode, $"exit code {stopped.ExitCode}: {stopped.Error}");
        Assert.Contains("Interrupted at epoch ", stopped.Error);
        var checkpoint = CheckpointFile.PathFor(model);
        Assert.Contains($"continue with  train --resume {checkpoint} -o {model}", stopped.Error);
        Assert.False(File.Exists(model));
        var resumed = Run("train", "--resume", checkpoint, "-o", model, "--data-dir", data.Folder, "--no-download");
        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.Error);
        using var trained = ModelFile.Load(model);
        Assert.Equal(Epochs, trained.Metadata.Training!.EpochLosses.Count);
    }

    [Fact]
    public void Stopped_while_writing_to_standard_output_the_checkpoint_goes_to_the_current_folder()
    {
        var stopped = StoppedAfterFirstEpoch("-", ChildProcess.SigTerm, textOnError: true);

        Assert.True(stopped.ExitCode == ExitCodes.Terminated, stopped.Error);
        var checkpoint = work["mnist.model.ckpt"];
        Assert.True(File.Exists(checkpoint), stopped.Error);
        Assert.Contains($"train --resume {checkpoint}", stopped.Error);
    }

    [LinuxFact]
    public void A_side_output_that_fails_mid_run_is_said_once_and_the_model_is_saved()
    {
        var model = work["m.model"];

        var run = Run(data.TrainArgs(model, "--epochs", "3", "--metrics", "/dev/full", "--plot", "/dev/full"));

        Assert.True(run.ExitCode == ExitCodes.OutputIncomplete, $"exit code {run.ExitCode}: {run.Error}");
        Assert.Single(run.ErrorLines, l => l.StartsWith("warning: --metrics /dev/full: cannot be written (No space left on device"));
        Assert.Single(run.ErrorLines, l => l.StartsWith("warning: --plot /dev/full: cannot be written"));
        Assert.EndsWith("error: the model is saved, but --metrics /dev/full and --plot /dev/full could not be written in full (see the warning above).", run.Error.Trim());
        Assert.Contains("Epoch 3/3", run.Out);
        using var trained = ModelFile.Load(model);
    }

    [Fact]
    public void An_edited_checkpoint_is_refused()
    {
        var checkpoint = Interrupted();
        var bytes = File.ReadAllBytes(checkpoint);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        int at = text.IndexOf("\"LearningRate\":0.01", StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes[at + "\"LearningRate\":0.0".Length] = (byte)'9'; // 0.01 -> 0.09: valid JSON, same length
        File.WriteAllBytes(checkpoint, bytes);

        Run("train", "--resume", checkpoint, "--data-dir", data.Folder, "--no-download")
            .AssertOneClearError(ExitCodes.UsageError, checkpoint, "checksum does not match");
        Assert.Equal([Path.GetFileName(checkpoint)], Directory.GetFiles(work.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_checkpoints_settings_pass_the_command_lines_range_checks()
    {
        var checkpoint = work["bad.ckpt"];
        using (var network = Trainer.NewNetwork(1))
            CheckpointFile.Save(checkpoint, new Checkpoint("mnist", TrainCount, new TrainingOptions(2, LearningRate: 0, 64, 1), RealState.Of(network, epoch: 1, batch: 0), network));

        Run("train", "--resume", checkpoint, "--data-dir", data.Folder, "--no-download")
            .AssertOneClearError(ExitCodes.UsageError, checkpoint, "checkpoint's settings are not possible: --lr must be a number greater than 0 and at most 10 (got 0)");
    }

    [Fact]
    public void A_resumed_run_writes_the_model_where_the_command_line_says_by_default_in_the_current_folder()
    {
        var checkpoint = Interrupted();

        var resumed = Run("train", "--resume", checkpoint, "--data-dir", data.Folder, "--no-download");

        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.Error);
        using var model = ModelFile.Load(work["mnist.model"]);
    }

    [Fact]
    public void A_dataset_of_no_images_is_refused_by_every_command_that_reads_it()
    {
        data.Write(TestImages, Data.Idx.Images(0));
        data.Write(TestLabels, Data.Idx.Labels());
        var file = data.PathOf(TestImages);

        Run(data.TrainArgs(work["m.model"])).AssertOneClearError(ExitCodes.UsageError, file, "holds 0 images");
        Run("evaluate", "--model", UntrainedModel.FilePath, "--data-dir", data.Folder, "--no-download", "--json")
            .AssertOneClearError(ExitCodes.UsageError, file, "holds 0 images");
        Run("lesson", "train", "--dataset", "mnist", "--data-dir", data.Folder, "--no-download")
            .AssertOneClearError(ExitCodes.UsageError, file, "holds 0 images");
    }

    /// <summary>A checkpoint of a run stopped by SIGTERM in its second epoch, in the work folder (and nothing else there).</summary>
    string Interrupted()
    {
        var model = work["m.model"];
        var stopped = StoppedAfterFirstEpoch(model, ChildProcess.SigTerm);
        Assert.True(stopped.ExitCode == ExitCodes.Terminated, stopped.Error);
        return CheckpointFile.PathFor(model);
    }
}
