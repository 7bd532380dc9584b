using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MnistTrainer.Cli;
using MnistTrainer.Model;
using MnistTrainer.Monitoring;
using MnistTrainer.Tests.Monitoring;
using MnistTrainer.Tests.Robustness;
using SkiaSharp;

namespace MnistTrainer.Tests.Cli;

/// <summary>train's settings beyond the lesson's, through the command line: what it prints, what the model file records, and the files --plot, --metrics and --logdir write, read back.</summary>
public sealed class TrainMonitoringTests : IDisposable
{
    readonly MiniDataset data = new();
    public void Dispose() => data.Dispose();

    string[] Args(string output, params string[] extra) => data.TrainArgs(output, ["--lang", "en", "--epochs", "3", .. extra]);

    /// <summary>The printed epoch lines: epoch, training loss, validation loss and accuracy, test accuracy.</summary>
    static List<double[]> EpochLines(string output) => Regex.Matches(output,
            @"Epoch (\d+)/\d+  training loss: ([0-9.]+)  validation loss: ([0-9.]+), accuracy: ([0-9.]+)%  test accuracy: ([0-9.]+)%")
        .Select(m => m.Groups.Values.Skip(1).Select(g => double.Parse(g.Value, CultureInfo.InvariantCulture)).ToArray()).ToList();

    [Fact]
    public void Settings_are_printed_and_recorded_and_the_metrics_file_has_the_printed_numbers()
    {
        var output = Path.Combine(data.Folder, "m.model");
        var csv = Path.Combine(data.Folder, "metrics.csv");
        var run = CliRun.Of(Args(output, "--momentum", "0.9", "--nesterov", "--weight-decay", "0.0005", "--schedule", "onecycle", "--lr", "0.05",
            "--augment", "shift", "--label-smoothing", "0.1", "--validation", "128", "--keep", "best", "--metrics", csv));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("recipe lesson: optimizer sgd, momentum 0.9 (Nesterov), weight decay 0.0005, schedule onecycle, augment shift, label smoothing 0.1, validation images 128, keep best", run.Out);
        Assert.Matches(@"Keeping epoch \d's weights, the best on the validation set \([0-9.]+%\)  test accuracy: [0-9.]+%", run.Out);
        Assert.Contains("Wrote " + csv, run.Out);

        var printed = EpochLines(run.Out);
        Assert.Equal(3, printed.Count);
        var rows = File.ReadAllLines(csv);
        Assert.Equal(string.Join(',', MetricsFile.Columns), rows[0]);
        Assert.Equal(4, rows.Length);
        for (int i = 0; i < 3; i++)
        {
            var cells = rows[i + 1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(printed[i][0], cells[0]);
            Assert.Equal(printed[i][1], Math.Round(cells[1], 4));
            Assert.Equal(printed[i][2], Math.Round(cells[2], 4));
            Assert.Equal(printed[i][3], Math.Round(cells[3] * 100, 2));
            Assert.Equal(printed[i][4], Math.Round(cells[5] * 100, 2));
        }

        using var model = ModelFile.Load(output);
        var t = model.Metadata.Training!;
        Assert.Equal(("sgd", 0.9, true, 0.0005, "onecycle", "shift", 0.1, 128, "best"),
            (t.Optimizer, t.Momentum, t.Nesterov, t.WeightDecay, t.Schedule, t.Augment, t.LabelSmoothing, t.Validation, t.Keep));
        int best = printed.MaxBy(p => p[3])![0] is var e ? (int)e : 0;
        Assert.Equal(best, t.KeptEpoch);
        Assert.Equal(printed.Select(p => p[3]), t.ValidationAccuracies!.Select(a => Math.Round(a * 100, 2)));
    }

    [Fact]
    public void Json_lines_metrics_a_plot_and_TensorBoard_events_hold_the_epochs()
    {
        var output = Path.Combine(data.Folder, "m.model");
        var jsonl = Path.Combine(data.Folder, "metrics.jsonl");
        var png = Path.Combine(data.Folder, "curves.png");
        var logs = Path.Combine(data.Folder, "logs");
        var run = CliRun.Of(Args(output, "--validation", "100", "--average", "2", "--metrics", jsonl, "--plot", png, "--logdir", logs));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"Keeping the average of the last 2 epochs' weights  validation accuracy: [0-9.]+%  test accuracy: [0-9.]+%", run.Out);
        var printed = EpochLines(run.Out);

        var rows = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(printed.Select(p => p[1]), rows.Select(r => Math.Round(r.GetProperty("training_loss").GetDouble(), 4)));
        Assert.Equal(printed.Select(p => p[3]), rows.Select(r => Math.Round(r.GetProperty("validation_accuracy").GetDouble() * 100, 2)));

        using (var bitmap = SKBitmap.Decode(png))
        {
            Assert.Equal((CurvesPlot.Width, CurvesPlot.Height), (bitmap.Width, bitmap.Height));
            int colored = 0, dark = 0;
            for (int y = 0; y < bitmap.Height; y += 2)
                for (int x = 0; x < bitmap.Width; x += 2)
                {
                    var c = bitmap.GetPixel(x, y);
                    if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 100) colored++;
                    if (c.Red + c.Green + c.Blue < 150) dark++;
                }
            Assert.True(colored > 200, $"{colored} pixels of curves");  // the curves
            Assert.True(dark > 1000, $"{dark} dark pixels");            // axes and text
        }

        var file = Assert.Single(Directory.GetFiles(logs, "events.out.tfevents.*"));
        var (version, scalars) = TensorBoardEvents.Read(file);
        Assert.Equal("brain.Event:2", version);
        Assert.Equal(new[] { TensorBoardLog.TrainingLoss, TensorBoardLog.ValidationLoss, TensorBoardLog.ValidationAccuracy, TensorBoardLog.TestLoss,
            TensorBoardLog.TestAccuracy, TensorBoardLog.LearningRate }.Order(), scalars.Select(s => s.Tag).Distinct().Order());
        var losses = scalars.Where(s => s.Tag == TensorBoardLog.TrainingLoss).ToList();
        Assert.Equal([1L, 2L, 3L], losses.Select(s => s.Step));
        Assert.Equal(printed.Select(p => p[1]), losses.Select(s => Math.Round((double)s.Value, 4)));
        Assert.Equal(printed.Select(p => p[4]), scalars.Where(s => s.Tag == TensorBoardLog.TestAccuracy).Select(s => Math.Round(s.Value * 100.0, 2)));
        Assert.All(scalars, s => Assert.InRange(s.WallTime, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
    }

    [Fact]
    public void Speaks_Portuguese_for_the_new_lines()
    {
        var output = Path.Combine(data.Folder, "pt.model");
        var run = CliRun.Of(data.TrainArgs(output, "--lang", "pt", "--epochs", "2", "--validation", "100", "--keep", "best", "--momentum", "0.5"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("receita lesson: otimizador sgd, momento 0.5", run.Out);
        Assert.Matches(@"perda na validação: [0-9]\.[0-9]{4}, acurácia: [0-9.]+%", run.Out);
        Assert.Contains("Mantendo os pesos da época", run.Out);
    }

    [Theory]
    [InlineData(new[] { "--keep", "best" }, "--keep best needs a validation set")]
    [InlineData(new[] { "--nesterov" }, "--nesterov needs --optimizer sgd and a --momentum above 0")]
    [InlineData(new[] { "--augment", "shift-flip" }, "--augment shift-flip mirrors images")]
    [InlineData(new[] { "--average", "9" }, "--average 9 is more than the 3 epochs")]
    [InlineData(new[] { "--validation", "640" }, "--validation 640 leaves none of the 640 training images")]
    [InlineData(new[] { "--momentum", "1" }, "--momentum must be at least 0 and less than 1")]
    [InlineData(new[] { "--optimizer", "rmsprop" }, "rmsprop")]
    [InlineData(new[] { "--label-smoothing", "-0.1" }, "--label-smoothing must be at least 0")]
    public void Settings_that_make_no_sense_are_refused_with_one_line(string[] extra, string message)
    {
        var output = Path.Combine(data.Folder, "bad.model");
        CliRun.Of(Args(output, extra)).AssertOneClearError(ExitCodes.UsageError, message);
        Assert.False(File.Exists(output));
    }
}
