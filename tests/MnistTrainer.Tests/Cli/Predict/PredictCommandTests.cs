using MnistTrainer.Data;
using System.Text.Json;
using MnistTrainer.Cli;
using MnistTrainer.Inference;
using SkiaSharp;

namespace MnistTrainer.Tests.Cli;

public class PredictCommandTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    static string Samples => Path.Combine(DataFolders.DefaultDataDir(), "samples");
    static string Sample(string name) => Path.Combine(Samples, name);

    string Write(string name, byte[] bytes)
    {
        var path = folder[name];
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static void AssertOneClearError(CliRun run, int exitCode, string mentions)
    {
        run.AssertOneClearError(exitCode, mentions);
        Assert.Equal("", run.Out); // nothing half-done on stdout
    }

    [Fact]
    public void Ctrl_C_stops_a_run_over_many_pictures()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var error = new StringWriter();

        int code = App.Run(["predict", "--model", UntrainedModel.FilePath, "--image", Samples], new Terminal(new StringWriter(), error, false), cancel.Token);

        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.Equal("Interrupted.", error.ToString().Trim());
    }

    [Fact]
    public void Shows_the_image_and_all_ten_probabilities_sorted()
    {
        var run = CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", Sample("three-dark-on-white.png"));
        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => l.StartsWith("Predicted: "));
        Assert.Equal(30, lines.Count(l => l.StartsWith('┌') || l.StartsWith('│') || l.StartsWith('└')));
        var chart = lines.Where(l => l.Length > 4 && char.IsDigit(l[0]) && l[1..].StartsWith(" | ")).ToList();
        Assert.Equal(10, chart.Count);
        var percents = chart.Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(percents.OrderDescending(), percents);
    }

    [Fact]
    public void Json_for_several_images_and_a_folder_with_one_model_load()
    {
        var run = CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--json",
            "--image", Sample("seven-photo.jpg"), Samples);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(1 + Directory.GetFiles(Samples).Length, results.Count);
        Assert.Equal("mnist", json.RootElement.GetProperty("dataset").GetString());
        foreach (var result in results)
        {
            var probabilities = result.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToList();
            Assert.Equal(10, probabilities.Count);
            Assert.InRange(probabilities.Sum(), 1 - 1e-5, 1 + 1e-5);
            Assert.Equal(probabilities.IndexOf(probabilities.Max()), result.GetProperty("predicted").GetInt32());
        }
    }

    [Fact]
    public void Plot_writes_the_view_classify_figure()
    {
        var plot = folder["figure.png"];
        var run = CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", Sample("two-chalk-on-board.webp"), "--plot", plot);
        Assert.Equal(0, run.ExitCode);
        using var png = SKBitmap.Decode(plot);
        Assert.Equal((ClassifyPlot.Width, ClassifyPlot.Height), (png.Width, png.Height));
        Assert.Contains($"Wrote the figure to {plot}", run.Out);
    }

    [Fact]
    public void Index_takes_an_image_of_the_models_test_set()
    {
        // Images the test model never saw: the command must give the classifier's answer for them.
        int[] indices = [TestModel.TrainedOn, TestModel.TrainedOn + 1, TestModel.TrainedOn + 2];
        var run = CliRun.Of(["predict", "--model", TestModel.FilePath, "--index", .. indices.Select(i => i.ToString()),
            "--json", "--data-dir", TestData.MnistSubsetFolder, "--no-download"]);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out); // the "test set from" line went to standard error
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        var test = RealDatasets.Mnist;
        var predictor = new Predictor(TestModel.Model.Network);
        Assert.Equal(indices.Select(i => (int)test.Labels[i]), results.Select(r => r.GetProperty("label").GetInt32()));
        Assert.Equal(indices.Select(i => predictor.Predict(test.Image(i)).PredictedClass), results.Select(r => r.GetProperty("predicted").GetInt32()));
        Assert.Contains("MNIST test set from", run.Error);
    }

    [Theory]
    [InlineData("99999999999")]
    [InlineData("seven")]
    [InlineData("1.5")]
    public void Index_that_is_not_a_whole_number_is_named_on_one_line(string index) =>
        CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--index", "0", index)
            .AssertOneClearError(ExitCodes.UsageError, $"--index must be a whole number (got '{index}')");

    [Fact]
    public void An_unknown_option_after_index_is_named_as_unknown_not_as_a_bad_index()
    {
        var run = CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--index", "0", "--dataset", "mnist");
        run.AssertOneClearError(ExitCodes.UsageError, "Unrecognized command or argument '--dataset'");
        Assert.DoesNotContain("whole number", run.Error);
    }

    [Fact]
    public void Index_out_of_range_is_a_usage_error()
    {
        var run = CliRun.Of("predict", "--model", TestModel.FilePath, "--index", "8000", "--data-dir", TestData.MnistSubsetFolder, "--no-download");
        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("out of range", run.Error);
    }

    [Fact]
    public void Not_an_image() =>
        AssertOneClearError(CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", Write("letter.png", "Dear reader,"u8.ToArray())),
            ExitCodes.DataError, "letter.png: not an image");

    [Fact]
    public void Truncated_png()
    {
        var whole = File.ReadAllBytes(Sample("three-dark-on-white.png"));
        AssertOneClearError(CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", Write("cut.png", whole[..(whole.Length * 2 / 3)])),
            ExitCodes.DataError, "cut.png: image data is cut short");
    }

    [Fact]
    public void Zero_by_zero_png() =>
        AssertOneClearError(CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", Write("nothing.png", ImageBytes.Png(0, 0, []))),
            ExitCodes.DataError, "nothing.png: image header is cut short or invalid");

    [Fact]
    public void Huge_png() =>
        AssertOneClearError(CliRun.Of("predict", "--model", UntrainedModel.FilePath,
                "--image", Write("huge.png", ImageBytes.Png(100_000, 100_000, [new byte[100_000]]))),
            ExitCodes.DataError, "huge.png: image is 100,000×100,000 pixels, more than the limit of 50 megapixels");

    [Fact]
    public void Blank_picture() =>
        AssertOneClearError(CliRun.Of("predict", "--model", UntrainedModel.FilePath,
                "--image", Write("white.bmp", ImageBytes.Bmp(30, 40, Enumerable.Repeat((byte)250, 1200).ToArray()))),
            ExitCodes.DataError, "white.bmp: no drawing found");

    [Fact]
    public void Folder_without_images()
    {
        var empty = Directory.CreateDirectory(folder["no-pictures"]).FullName;
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "not a picture");
        AssertOneClearError(CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", empty),
            ExitCodes.DataError, "no-pictures: folder has no image files");
    }

    [Fact]
    public void Plot_that_cannot_be_written()
    {
        var directory = Directory.CreateDirectory(folder["taken.png"]).FullName;
        AssertOneClearError(CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", Sample("seven-photo.jpg"), "--plot", directory),
            ExitCodes.UsageError, "taken.png is a folder: give a file name");
    }

    [Fact]
    public void Missing_model() =>
        AssertOneClearError(CliRun.Of("predict", "--model", folder["absent.model"], "--image", Sample("three-dark-on-white.png")),
            ExitCodes.DataError, "absent.model: model file not found");

    [Fact]
    public void Model_file_of_the_wrong_kind() =>
        AssertOneClearError(CliRun.Of("predict", "--model", Sample("three-dark-on-white.png"), "--image", Sample("three-dark-on-white.png")),
            ExitCodes.DataError, "not a MnistTrainer model file");

    [Fact]
    public void Raw_needs_a_28_by_28_image() =>
        AssertOneClearError(CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--raw", "--image", Sample("three-dark-on-white.png")),
            ExitCodes.DataError, "image is 300×400; taken as it is, without preprocessing, it must be 28×28");

    [Theory]
    [InlineData("predict")]
    [InlineData("predict", "--image", "a.png", "--index", "3")]
    [InlineData("predict", "--index", "-1")]
    [InlineData("predict", "--index", "1", "--raw")]
    public void Wrong_option_combinations_are_usage_errors(params string[] args)
    {
        var run = CliRun.Of([.. args, "--model", UntrainedModel.FilePath]);
        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
    }

    [Fact]
    public void Plot_with_several_images_is_a_usage_error()
    {
        var run = CliRun.Of("predict", "--model", UntrainedModel.FilePath, "--image", Samples, "--plot", folder["p.png"]);
        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--plot draws one image", run.Error);
    }
}
