using System.Text;
using MnistTrainer.Files;

namespace MnistTrainer.Tests.Files;

/// <summary>The write rules on their own; <see cref="Robustness.SafeWriteTests"/> feeds the same cases through the real commands.</summary>
public sealed class OutputFileTests : IDisposable
{
    static readonly byte[] Old = "the previous file, which must survive"u8.ToArray();
    readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void While_writing_the_final_name_still_holds_the_old_file_and_the_new_one_goes_to_a_temp_file_named_with_the_pid()
    {
        var path = folder["m.model"];
        File.WriteAllBytes(path, Old);
        OutputFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            stream.Flush();
            Assert.Equal(Old, File.ReadAllBytes(path));
            var temp = Assert.Single(Directory.GetFiles(folder.Path, $".m.model.{Environment.ProcessId}.*.tmp"));
            Assert.Equal(1000, new FileInfo(temp).Length);
        });
        Assert.Equal(1000, File.ReadAllBytes(path).Length);
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_failure_in_the_middle_of_writing_leaves_the_old_file_and_no_temp_file()
    {
        var path = folder["m.model"];
        File.WriteAllBytes(path, Old);
        var e = Assert.Throws<FileProblemException>(() => OutputFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("injected: the disk went away");
        }));
        Assert.Equal($"{path}: cannot be written (injected: the disk went away); any previous file there is unchanged", e.Message);
        Assert.Equal(Old, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [LinuxFact]
    public void The_plan_before_a_long_run_leaves_a_named_pipe_alone_and_does_not_wait_for_a_reader()
    {
        var fifo = SpecialFiles.MakeFifo(folder["pipe"]);

        SpecialFiles.RunNotBlockingOn(fifo, () => new FilePlan().Output("--output", fifo).Check()).Wait();

        Assert.Equal(FileKind.NamedPipe, FileKinds.Of(fifo));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [LinuxFact]
    public void File_kinds_are_told_apart_through_links()
    {
        var fifo = SpecialFiles.MakeFifo(folder["pipe"]);
        File.WriteAllBytes(folder["file"], Old);
        File.CreateSymbolicLink(folder["link"], fifo);

        Assert.Equal(FileKind.NamedPipe, FileKinds.Of(fifo));
        Assert.Equal(FileKind.RegularFile, FileKinds.Of(folder["file"]));
        Assert.Equal(FileKind.Directory, FileKinds.Of(folder.Path));
        Assert.Equal(FileKind.Missing, FileKinds.Of(folder["none"]));
        Assert.Equal(FileKind.NamedPipe, FileKinds.Of(folder["link"]));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(folder["link"], followLinks: false));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
    }
}

public sealed class GrowingOutputFileTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_file_already_there_stays_as_it_was_until_the_first_piece_replaces_it_whole()
    {
        var path = folder["metrics.csv"];
        File.WriteAllText(path, "an earlier run's rows\n");

        using var output = new GrowingOutputFile(path);
        Assert.Equal("an earlier run's rows\n", File.ReadAllText(path)); // a run killed now loses nothing

        output.Append("a\n"u8);
        Assert.Equal("a\n", File.ReadAllText(path));
        output.Append("b\n"u8);
        Assert.Equal("a\nb\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [LinuxFact]
    public void A_named_pipe_gets_each_piece_as_it_comes()
    {
        var fifo = SpecialFiles.MakeFifo(folder["pipe"]);
        var read = SpecialFiles.ReadAllFromFifo(fifo);

        using (var output = new GrowingOutputFile(fifo))
        {
            output.Append("a\n"u8);
            output.Append("b\n"u8);
        }

        Assert.Equal("a\nb\n", Encoding.UTF8.GetString(read.Result));
    }

    [LinuxFact]
    public void A_full_device_fails_with_the_files_name() =>
        Assert.Contains("/dev/full: cannot be written", Assert.Throws<FileProblemException>(() => new GrowingOutputFile("/dev/full").Append("a\n"u8)).Message);
}
