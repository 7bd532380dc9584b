using MnistTrainer.Cli;
using MnistTrainer.Data;

namespace MnistTrainer.Tests.Cli;

/// <summary>The advice the command line adds to what the core found (the core names no option or command).</summary>
public sealed class ErrorReportTests
{
    static readonly string[] Folders = ["/data/user", "/data/user/mnist"];

    static string TextFor(DatasetInfo dataset, string? downloadFailure = null, DatasetInfo? alternative = null) =>
        ErrorReport.MessageFor(new DatasetNotFoundException(dataset, Folders, downloadFailure, "/data/user/mnist", alternative));

    [Fact]
    public void Lists_the_folders_looked_in_the_files_and_the_options_that_help()
    {
        var text = TextFor(DatasetInfo.Mnist);

        Assert.StartsWith("MNIST was not found. Looked in:" + Environment.NewLine, text);
        foreach (var folder in Folders) Assert.Contains("  " + folder + Environment.NewLine, text);
        Assert.Contains("Downloading is turned off (--no-download).", text);
        Assert.Contains("Put these files in /data/user/mnist (or pass --data-dir FOLDER): " + string.Join(", ", DatasetInfo.Files), text);
    }

    [Fact]
    public void Says_why_the_download_failed()
    {
        Assert.Contains("Downloading failed: could not download it", TextFor(DatasetInfo.Mnist, "could not download it"));
    }

    [Theory]
    [InlineData(true, "Fashion-MNIST is available on this machine: train on it with --dataset fashion-mnist.")]
    [InlineData(false, "install Fashion-MNIST (sudo apt-get install dataset-fashion-mnist) and use --dataset fashion-mnist.")]
    public void Points_to_Fashion_MNIST_when_MNIST_is_missing(bool fashionHere, string hint)
    {
        Assert.Contains(hint, TextFor(DatasetInfo.Mnist, alternative: fashionHere ? DatasetInfo.FashionMnist : null));
    }

    [Fact]
    public void Fashion_MNIST_missing_does_not_suggest_itself()
    {
        var text = TextFor(DatasetInfo.FashionMnist);

        Assert.StartsWith("Fashion-MNIST was not found.", text);
        Assert.DoesNotContain("--dataset", text);
    }

    [Fact]
    public void The_core_message_names_no_option()
    {
        var e = new DatasetNotFoundException(DatasetInfo.Mnist, Folders, null, "/data/user/mnist", null);

        Assert.Equal("MNIST was not found", e.Message);
    }
}
