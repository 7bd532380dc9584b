using MnistTrainer.Cli;
using MnistTrainer.Inference;

namespace MnistTrainer.Tests.Cli;

public class SampleCommandsTests
{
    [Fact]
    public void Writes_the_test_image_as_a_28_by_28_png_of_the_same_bytes()
    {
        using var folder = new TempFolder();
        var path = folder["five.png"];
        var run = CliRun.Of("export-sample", "--data-dir", TestData.MnistSubsetFolder, "--no-download", "--index", "8", "--output", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"Wrote test image 8 (5) to {path}", run.Out);
        Assert.Equal(RealDatasets.Mnist.Image(8).ToArray(), ImageFile.Read(path).Pixels);
    }

    [Fact]
    public void Index_out_of_range_is_a_usage_error()
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("export-sample", "--data-dir", TestData.MnistSubsetFolder, "--no-download", "--index", "8000", "--output", folder["x.png"]);
        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("0 to 7,999", run.Error);
    }
}
