using System.Diagnostics;
using System.Runtime.Versioning;
using MnistTrainer.Cli;
using MnistTrainer.Files;
using MnistTrainer.Model;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// The write rules of docs/errors.md, through the real commands: a regular file is replaced atomically with its
/// permission bits, a symbolic link is followed, a device or named pipe is written as a stream and stays what it
/// was, anything else is refused untouched, and stale temporary files of dead writers are cleared.
/// </summary>
public sealed class SafeWriteTests : IDisposable
{
    static readonly byte[] Old = "the previous file, which must survive"u8.ToArray();
    readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    static CliRun Export(string output) => CliRun.Of("export", "--model", UntrainedModel.FilePath, "--output", output, "--format", "safetensors");

    /// <summary>What export writes into a regular file: what every other kind of target must receive too.</summary>
    byte[] NormalExport()
    {
        var path = folder["normal.safetensors"];
        Assert.Equal(ExitCodes.Success, Export(path).ExitCode);
        return File.ReadAllBytes(path);
    }

    [LinuxFact]
    public void Export_through_a_symlink_replaces_its_target_and_keeps_the_link()
    {
        Directory.CreateDirectory(folder["real"]);
        File.WriteAllBytes(folder["real/target.safetensors"], Old);
        File.CreateSymbolicLink(folder["link.safetensors"], "real/target.safetensors");

        var run = Export(folder["link.safetensors"]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(folder["link.safetensors"], followLinks: false));
        Assert.Equal("real/target.safetensors", new FileInfo(folder["link.safetensors"]).LinkTarget);
        Assert.Equal(NormalExport(), File.ReadAllBytes(folder["real/target.safetensors"]));
        Assert.Equal(["target.safetensors"], Directory.GetFileSystemEntries(folder["real"]).Select(Path.GetFileName));
    }

    [LinuxFact]
    public void Import_through_a_dangling_symlink_creates_its_target()
    {
        File.CreateSymbolicLink(folder["link.model"], folder["made/by/import.model"]);
        Directory.CreateDirectory(folder["made/by"]);

        var run = CliRun.Of("import", "--from", Interop.InteropFixtures.PyTorchPt, "--output", folder["link.model"]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(folder["link.model"], followLinks: false));
        using (ModelFile.Load(folder["made/by/import.model"])) { }
    }

    [Fact]
    public void Train_through_a_symlink_replaces_its_target_and_keeps_the_link()
    {
        using var data = new MiniDataset();
        Directory.CreateDirectory(folder["real"]);
        File.WriteAllBytes(folder["real/target.model"], Old);
        File.CreateSymbolicLink(folder["link.model"], folder["real/target.model"]);

        var run = CliRun.Of(data.TrainArgs(folder["link.model"]));

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(folder["link.model"], followLinks: false));
        using (ModelFile.Load(folder["real/target.model"])) { }
    }

    [LinuxFact]
    public void Export_into_a_named_pipe_streams_the_same_bytes_and_leaves_the_pipe()
    {
        var expected = NormalExport();
        var fifo = SpecialFiles.MakeFifo(folder["pipe"]);
        var reader = SpecialFiles.ReadAllFromFifo(fifo);

        var run = Export(fifo);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.True(reader.Wait(TimeSpan.FromSeconds(60)));
        Assert.Equal(expected, reader.Result);
        Assert.Equal("", run.Error); // a pipe is not standard output: what the command says stays on standard output
        Assert.StartsWith($"Exported {UntrainedModel.FilePath} (mnist) to {fifo}", run.Out);
        Assert.Equal(FileKind.NamedPipe, FileKinds.Of(fifo));
        Assert.Equal(["normal.safetensors", "pipe"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order());
    }

    /// <summary>The real program with its standard output appended to a file, as <c>export -o /dev/stdout &gt;&gt; FILE</c> in a shell.</summary>
    [LinuxFact]
    public void Export_to_dev_stdout_appended_to_a_file_appends_the_export_and_says_the_rest_on_stderr()
    {
        var log = folder["log"];
        File.WriteAllBytes(log, Old);
        var program = ChildProcess.StartInfo(["export", "--model", UntrainedModel.FilePath, "--output", "/dev/stdout", "--format", "safetensors"]);
        var shell = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "exec \"$0\" \"$@\" >> \"$APPEND_TO\"", program.FileName }.Concat(program.ArgumentList))
            shell.ArgumentList.Add(arg);
        foreach (var (name, value) in program.Environment) shell.Environment[name] = value;
        shell.Environment["APPEND_TO"] = log;

        var run = ChildProcess.Run(shell);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Equal([.. Old, .. NormalExport()], File.ReadAllBytes(log));
        Assert.StartsWith($"Exported {UntrainedModel.FilePath} (mnist) to /dev/stdout", run.Error);
    }

    [Fact]
    public async Task Train_into_a_named_pipe_streams_a_whole_model_and_leaves_the_pipe()
    {
        using var data = new MiniDataset();
        var fifo = SpecialFiles.MakeFifo(folder["pipe"]);
        var reader = SpecialFiles.ReadAllFromFifo(fifo);

        var run = CliRun.Of(data.TrainArgs(fifo));

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        var received = await reader.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(FileKind.NamedPipe, FileKinds.Of(fifo));
        File.WriteAllBytes(folder["received.model"], received);
        using (ModelFile.Load(folder["received.model"])) { }
    }

    [RootFact]
    public void Train_into_a_null_device_discards_the_model_and_leaves_the_device()
    {
        using var data = new MiniDataset();
        var device = SpecialFiles.MakeNullDevice(folder["null"]);

        var run = CliRun.Of(data.TrainArgs(device));

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of(device));
        Assert.Equal(["null"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [RootFact]
    public void Export_import_and_a_plot_into_a_null_device_leave_the_device()
    {
        var device = SpecialFiles.MakeNullDevice(folder["null"]);

        Assert.Equal(ExitCodes.Success, Export(device).ExitCode);
        Assert.Equal(ExitCodes.Success, CliRun.Of("import", "--from", Interop.InteropFixtures.PyTorchPt, "--output", device).ExitCode);
        var image = folder["digit.png"];
        File.WriteAllBytes(image, ImageBytes.Png(28, 28, [.. Enumerable.Range(0, 28).Select(_ => Enumerable.Range(0, 28).Select(x => (byte)(x is > 10 and < 16 ? 255 : 0)).ToArray())]));
        var predict = CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", image, "--raw", "--plot", device);
        Assert.True(predict.ExitCode == ExitCodes.Success, predict.Error);

        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of(device));
        Assert.Equal(["digit.png", "null"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order());
    }

    [LinuxFact]
    public void A_socket_as_output_is_refused_with_one_line_and_left_as_it_was()
    {
        using var socket = SpecialFiles.MakeSocket(folder["socket"]);

        var run = Export(folder["socket"]);

        run.AssertOneClearError(ExitCodes.UsageError, folder["socket"], "is a socket: give a file");
        Assert.Equal(FileKind.Socket, FileKinds.Of(folder["socket"]));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [LinuxFact, SupportedOSPlatform("linux")]
    public void A_replaced_file_keeps_its_permission_bits()
    {
        var path = folder["shared.safetensors"];
        File.WriteAllBytes(path, Old);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        File.SetUnixFileMode(path, mode);

        Assert.Equal(ExitCodes.Success, Export(path).ExitCode);

        Assert.NotEqual(Old, File.ReadAllBytes(path));
        Assert.Equal(mode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_write_removes_stale_temp_files_of_dead_writers_and_leaves_those_of_live_ones()
    {
        // PIDs never exceed 2^22 on Linux; PID 1 and this process are running.
        const int Dead = 4_194_304 + 7;
        string[] stale = [$".a.model.{Dead}.0badf00d.tmp", $".other.pt.{Dead}.12345678.tmp"];
        string[] live = [$".a.model.1.0badf00d.tmp", $".b.model.{Environment.ProcessId}.abcdef01.tmp"];
        string[] notOurs = [".hidden.tmp", $"a.model.{Dead}.0badf00d.tmp", "notes.txt"];
        foreach (var name in stale.Concat(live).Concat(notOurs)) File.WriteAllBytes(folder[name], Old);

        Assert.Equal(ExitCodes.Success, Export(folder["w.safetensors"]).ExitCode);

        Assert.Equal(live.Concat(notOurs).Append("w.safetensors").Order(),
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }
}
