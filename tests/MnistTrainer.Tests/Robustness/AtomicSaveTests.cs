using System.Diagnostics;
using MnistTrainer.Cli;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Training;
using static MnistTrainer.Tests.Robustness.MiniDataset;

namespace MnistTrainer.Tests.Robustness;

/// <summary>Saving never leaves a broken file under the final name: not on a failure, a full disk, or a signal.</summary>
public sealed class AtomicSaveTests : IDisposable
{
    readonly TempFolder temp = new();
    string folder => temp.Path;

    public void Dispose() => temp.Dispose();

    [RootFact]
    public void Full_disk_on_save_gives_a_clear_error_and_keeps_the_old_model()
    {
        using var disk = SmallDisk.Mount();
        {
            var path = Path.Combine(disk.Folder, "m.model");
            File.WriteAllBytes(path, OldModel);
            disk.FillLeaving(100_000);
            using var network = Trainer.NewNetwork(1);

            var e = Assert.ThrowsAny<FileProblemException>(() => ModelFile.Save(path, network, ModelMetadata.For("mnist", [.. "0123456789".Select(c => c.ToString())], null)));

            Assert.StartsWith($"{path}: cannot be written (No space left on device", e.Message);
            Assert.EndsWith("any previous file there is unchanged", e.Message);
            Assert.Equal(ExitCodes.DataError, ErrorReport.ExitCodeFor(e));
            Assert.Equal(OldModel, File.ReadAllBytes(path));
            Assert.Equal(["filler", "m.model"], Directory.GetFiles(disk.Folder).Select(Path.GetFileName).Order());
        }
    }

    [RootFact]
    public void Full_disk_at_the_end_of_training_exits_3_keeps_the_old_model_and_saves_the_trained_one_in_the_current_folder()
    {
        using var disk = SmallDisk.Mount();
        using (var data = new MiniDataset())
        {
            var path = Path.Combine(disk.Folder, "m.model");
            File.WriteAllBytes(path, OldModel);
            disk.FillLeaving(100_000);
            var run = ChildProcess.StartInfo(data.TrainArgs(path));
            run.WorkingDirectory = folder;

            var result = ChildProcess.Run(run);

            result.AssertOneClearError(ExitCodes.DataError, path, "No space left on device");
            Assert.Equal(OldModel, File.ReadAllBytes(path));
            var rescued = Assert.Single(Directory.GetFiles(folder, "rescued-*-mnist.model"));
            Assert.Contains($"saved to {rescued} instead", result.Error);
            using var model = ModelFile.Load(rescued);
            Assert.Single(model.Metadata.Training!.EpochLosses);
        }
    }

    /// <summary>A real Ctrl+C (SIGINT) to the real program: it stops after the batch, saves a checkpoint and exits 130.</summary>
    [Fact]
    public async Task Sigint_during_training_exits_130_with_a_checkpoint_and_the_old_model()
    {
        using var data = new MiniDataset();
        var path = Path.Combine(folder, "m.model");
        File.WriteAllBytes(path, OldModel);
        using var process = Process.Start(ChildProcess.StartInfo(data.TrainArgs(path, "--epochs", "1000")))!;
        var error = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) != null && !line.StartsWith("Epoch 1/")) { }
        Assert.NotNull(line);
        ChildProcess.Interrupt(process);
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));
        var errorText = await error;

        Assert.True(process.ExitCode == ExitCodes.Interrupted, $"exit code {process.ExitCode}: {errorText}");
        Assert.StartsWith("Interrupted at epoch ", errorText);
        Assert.Equal(OldModel, File.ReadAllBytes(path));
        Assert.True(File.Exists(CheckpointFile.PathFor(path)));
    }

    /// <summary>
    /// SIGKILL to the real program while it saves: the moment its temporary file appears in the output
    /// folder, it is killed. The final name must still hold the old file (or, if the kill came after the
    /// rename, a complete model) — never a partial one.
    /// </summary>
    [Fact]
    public void Sigkill_while_saving_never_leaves_a_partial_model()
    {
        using var data = new MiniDataset();
        var path = Path.Combine(folder, "m.model");
        int killedMidSave = 0;
        for (int attempt = 0; attempt < 6 && killedMidSave == 0; attempt++)
        {
            File.WriteAllBytes(path, OldModel);
            foreach (var stale in Directory.GetFiles(folder, "*.tmp")) File.Delete(stale);
            using var process = Process.Start(ChildProcess.StartInfo(data.TrainArgs(path)))!;
            string? line;
            while ((line = process.StandardOutput.ReadLine()) != null && !line.StartsWith("Epoch 1/")) { }
            // Until the temporary file appears or the program ends (it always does: the run is a few small epochs).
            while (!process.HasExited && Directory.GetFiles(folder, "*.tmp").Length == 0) { }
            if (!process.HasExited) process.Kill();
            process.WaitForExit();

            if (Directory.GetFiles(folder, "*.tmp").Length > 0 && File.ReadAllBytes(path).AsSpan().SequenceEqual(OldModel)) killedMidSave++;
            if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(OldModel))
                using (ModelFile.Load(path)) { }
        }
        Assert.True(killedMidSave > 0, "no kill landed while the model was being written");
    }
}
