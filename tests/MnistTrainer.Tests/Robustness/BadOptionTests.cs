using MnistTrainer.Cli;
using static MnistTrainer.Tests.Robustness.MiniDataset;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// Option values that make no sense, through the real <c>train</c> command: one clear line naming the
/// option, exit code 2 (usage), and the model already at the output path left as it was.
/// </summary>
public sealed class BadOptionTests : IDisposable
{
    readonly MiniDataset data = new();
    readonly string output;

    public BadOptionTests() => output = data.PlantOldModel();

    public void Dispose() => data.Dispose();

    void AssertUsageError(string[] extra, params string[] mustContain)
    {
        var result = CliRun.Of(data.TrainArgs(output, extra));
        result.AssertOneClearError(ExitCodes.UsageError, mustContain);
        Assert.Equal(OldModel, File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void Epochs_below_1(string epochs) => AssertUsageError(["--epochs", epochs], "--epochs must be at least 1");

    [Theory]
    [InlineData("0")]
    [InlineData("-0.1")]
    [InlineData("NaN")]
    [InlineData("1e300")]
    [InlineData("Infinity")]
    public void Learning_rate_out_of_range(string lr) => AssertUsageError(["--lr", lr], "--lr must be a number greater than 0 and at most 10");

    [Theory]
    [InlineData("--lr")]
    [InlineData("--epochs")]
    [InlineData("--batch-size")]
    [InlineData("--threads")]
    [InlineData("--seed")]
    public void Option_value_that_is_not_a_number(string option) => AssertUsageError([option, "fast"], option, "(got 'fast')");

    /// <summary>Under pt-BR (the lesson's language) "." groups thousands: "0.05" once became 5.</summary>
    [Fact]
    public void Numbers_are_read_the_same_in_every_locale()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("pt-BR");
        try
        {
            AssertUsageError(["--lr", "0,05"], "--lr must be a number such as 0.01 (got '0,05')");
            var result = CliRun.Of(data.TrainArgs(output, "--lr", "0.05"));
            Assert.True(result.ExitCode == 0, result.Error);
            using var model = MnistTrainer.Model.ModelFile.Load(output);
            Assert.Equal(0.05, model.Metadata.Training!.LearningRate);
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
    }

    [Theory]
    [InlineData("--epochs", "2.5")]
    [InlineData("--batch-size", "1,000")]
    [InlineData("--threads", "1e3")]
    public void Whole_number_options_refuse_other_numbers(string option, string value) =>
        AssertUsageError([option, value], $"{option} must be a whole number (got '{value}')");

    [Fact]
    public void Batch_size_0() => AssertUsageError(["--batch-size", "0"], "--batch-size must be at least 1");

    [Fact]
    public void Batch_size_above_the_dataset_size() =>
        AssertUsageError(["--batch-size", $"{MiniDataset.TrainCount + 1}"], $"--batch-size {MiniDataset.TrainCount + 1} is larger than the {MiniDataset.TrainCount} training images");

    [Fact]
    public void Unknown_dataset() => AssertUsageError(["--dataset", "cifar10"], "cifar10", "--dataset", "mnist, fashion-mnist");

    [Fact]
    public void Threads_0() => AssertUsageError(["--threads", "0"], "--threads must be between 1 and 1024");

    [Fact]
    public void Unknown_engine() => AssertUsageError(["--engine", "fast"], "fast", "--engine", "autograd, manual");

    [Fact]
    public void Unknown_option() => AssertUsageError(["--epoch", "2"], "--epoch");

    [Fact]
    public void Output_in_a_folder_that_does_not_exist_is_refused_before_training_and_creates_nothing()
    {
        var nested = Path.Combine(data.Folder, "new", "deeper", "m.model");
        var result = CliRun.Of(data.TrainArgs(nested));
        result.AssertOneClearError(ExitCodes.UsageError, "--output", nested, "does not exist");
        Assert.DoesNotContain("Epoch", result.Out);
        Assert.False(Directory.Exists(Path.Combine(data.Folder, "new")));
    }

    [Fact]
    public void Output_below_a_file_fails_before_training()
    {
        var blocked = Path.Combine(output, "m.model");
        var result = CliRun.Of(data.TrainArgs(blocked));
        result.AssertOneClearError(ExitCodes.UsageError, blocked, "is a regular file, not a folder");
        Assert.DoesNotContain("Epoch", result.Out);
        Assert.Equal(OldModel, File.ReadAllBytes(output));
    }

    [Fact]
    public void Output_that_is_a_folder_fails_before_training()
    {
        var folder = Path.GetDirectoryName(output)!;
        var result = CliRun.Of(data.TrainArgs(folder));
        result.AssertOneClearError(ExitCodes.UsageError, folder, "is a folder: give a file name");
        Assert.DoesNotContain("Epoch", result.Out);
        Assert.Equal(OldModel, File.ReadAllBytes(output));
    }

    [Fact]
    public void Output_on_a_read_only_file_system_fails_before_training()
    {
        var result = CliRun.Of(data.TrainArgs("/proc/m.model"));
        result.AssertOneClearError(ExitCodes.UsageError, "/proc/m.model", "cannot be written");
        Assert.DoesNotContain("Epoch", result.Out);
    }

    /// <summary>The largest allowed rate makes the loss explode; the run must still end with a saved (if useless) model.</summary>
    [Fact]
    public void Largest_learning_rate_still_saves_the_model()
    {
        var result = CliRun.Of(data.TrainArgs(output, "--lr", "10", "--epochs", "2"));
        Assert.True(result.ExitCode == 0, result.Error);
        using var model = MnistTrainer.Model.ModelFile.Load(output);
        Assert.Equal(2, model.Metadata.Training!.EpochLosses.Count);
    }

    [Fact]
    public void A_value_outside_a_list_is_named_on_one_line() =>
        CliRun.Of(["export", "--model", "m.model", "--output", "m.st", "--format", "tflite"])
            .AssertOneClearError(ExitCodes.UsageError, "'tflite' not recognized. Must be one of: 'safetensors' 'pt' 'onnx'");
}
