using MnistTrainer.Files;

namespace MnistTrainer.Tests.Files;

/// <summary>The read rules on their own; <see cref="Robustness.SpecialInputTests"/> feeds the same cases through the real commands.</summary>
public sealed class InputFileTests : IDisposable
{
    readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Names_what_was_looked_for_when_it_is_missing_or_a_directory()
    {
        var missing = Assert.Throws<MissingFileException>(() => InputFile.Open(folder["none"], "model file"));
        Assert.Equal($"{folder["none"]}: model file not found", missing.Message);
        Assert.Equal("model file", missing.Noun);
        Assert.Equal($"{folder.Path}: is a directory, not an image file",
            Assert.Throws<FileProblemException>(() => InputFile.Open(folder.Path, "image file")).Message);
    }

    [LinuxFact]
    public void Refuses_a_named_pipe_without_opening_it()
    {
        var fifo = SpecialFiles.MakeFifo(folder["pipe"]);

        var open = SpecialFiles.RunNotBlockingOn(fifo, () => InputFile.Open(fifo, "data file"));

        var e = Assert.IsType<FileProblemException>(open.Exception?.InnerException);
        Assert.Equal($"{fifo}: is a named pipe (FIFO), not a regular file: give the data file itself", e.Message);
    }

    [Fact]
    public void Refuses_a_file_over_the_limit_before_reading_it()
    {
        File.WriteAllBytes(folder["big"], new byte[1001]);

        var e = Assert.Throws<FileProblemException>(() => InputFile.ReadAll(folder["big"], "weights file", 1000, "more than this kind of file ever holds"));

        Assert.Equal($"{folder["big"]}: is 1,001 bytes, more than this kind of file ever holds", e.Message);
        Assert.Equal(new byte[1000], InputFile.ReadAll(folder["big"], "weights file", 1001, "unused")[..1000]);
    }
}
