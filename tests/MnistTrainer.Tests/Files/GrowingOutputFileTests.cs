using System.Text;
using MnistTrainer.Files;

namespace MnistTrainer.Tests.Files;

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
