using System.Globalization;
using System.Text.RegularExpressions;
using MnistTrainer.Cli;
using MnistTrainer.Data;
using MnistTrainer.Model;

namespace MnistTrainer.Tests.Cli;

public class TrainCommandTests
{
    const double UntrainedLoss = 2.3026; // ln 10: a network that knows nothing spreads its bets over ten classes.

    /// <summary>
    /// The design card's CI smoke test, through the real command line, and the one test of Debian's
    /// Fashion-MNIST files (recompressed, so checked by structure, not MD5).
    /// </summary>
    [RealDataFact(RealData.FashionMnist)]
    public void OneEpochOnFashionMnistLearnsAndWritesAModel()
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliRun.Of("train", "--dataset", "fashion-mnist", "--data-dir", TestData.Folder(RealData.FashionMnist),
            "--no-download", "--epochs", "1", "--seed", "3", "--output", folder["fashion.model"], "--lang", "en");

        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains($"Fashion-MNIST from {TestData.Folder(RealData.FashionMnist)}: 60,000 training and 10,000 test images", output);
        var losses = EpochLosses(output);
        Assert.Single(losses);
        Assert.True(losses[0] < UntrainedLoss * 0.6, $"loss {losses[0]} after one epoch");
        using var model = ModelFile.Load(folder["fashion.model"]);
        Assert.Equal(DatasetInfo.FashionMnist.Name, model.Metadata.Dataset);
        Assert.Equal(losses[0], model.Metadata.Training!.EpochLosses[0], 4);
    }

    [Fact]
    public void SameSeedPrintsTheSameLosses()
    {
        using var folder = new TempFolder();
        string[] args = ["train", "--data-dir", RealDatasets.MnistFolder, "--no-download",
            "--epochs", "1", "--seed", "9", "--threads", "1", "--output", folder["a.model"], "--lang", "en"];
        var first = CliRun.Of(args);
        var second = CliRun.Of(args);
        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(EpochLosses(first.Out), EpochLosses(second.Out));
    }

    [Fact]
    public void EveryEnginePrintsTheSameLosses()
    {
        // The default (the hand-derived step) and the lesson's autograd agree to about 1e-6.
        using var folder = new TempFolder();
        string[] Args(params string[] engine) => ["train", "--dataset", "mnist", "--data-dir", RealDatasets.MnistFolder,
            "--no-download", "--epochs", "1", "--seed", "5", "--output", folder["e.model"], "--lang", "en", .. engine];
        var runs = new[] { CliRun.Of(Args()), CliRun.Of(Args("--engine", "manual")), CliRun.Of(Args("--engine", "autograd")) };

        Assert.All(runs, run => Assert.True(run.ExitCode == ExitCodes.Success, run.Error));
        Assert.All(runs, run => Assert.Equal(EpochLosses(runs[0].Out), EpochLosses(run.Out)));
    }

    [Fact]
    public void DiagnosticsPrintMemoryAfterLoadingAndAfterEachEpoch()
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliRun.Of("train", "--data-dir", RealDatasets.MnistFolder, "--no-download",
            "--epochs", "2", "--seed", "1", "--diagnostics", "--output", folder["m.model"]);

        Assert.True(code == ExitCodes.Success, error);
        var memory = Regex.Matches(output, @"memory: rss (\d+) MiB, peak (\d+) MiB").ToList();
        Assert.Equal(3, memory.Count);
        Assert.All(memory, m => Assert.InRange(int.Parse(m.Groups[1].Value), 1, int.Parse(m.Groups[2].Value)));
    }

    [Fact]
    public void SpeaksPortugueseWithLangPt()
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("train", "--data-dir", RealDatasets.MnistFolder, "--no-download",
            "--epochs", "1", "--seed", "3", "--lang", "pt", "--output", folder["pt.model"]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("7,000 imagens de treinamento e 1,000 de teste", run.Out);
        Assert.Contains("Treinando Linear(784,128)", run.Out);
        Assert.Matches(@"Época 1/1  perda de treinamento: [0-9]\.[0-9]{4}", run.Out);
        Assert.Contains("Modelo salvo em " + folder["pt.model"], run.Out);
    }

    [Fact]
    public void MissingMnistOfflineNamesThePlacesAndTheFashionMnistCommand()
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRun.Of("train", "--data-dir", folder.Path, "--no-download", "--epochs", "1");
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains(folder.Path, error);
        Assert.Contains("t10k-images-idx3-ubyte.gz", error);
        Assert.Contains("--dataset fashion-mnist", error);
        Assert.DoesNotContain("   at ", error);
    }

    /// <summary>The losses of the epoch lines; the runs pass --lang en, as the words follow LANG otherwise.</summary>
    static double[] EpochLosses(string output) => Regex.Matches(output, @"training loss: ([0-9.]+)")
        .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
}
