using System.Globalization;
using MnistTrainer.Inference;
using MnistTrainer.Training;
using SkiaSharp;

namespace MnistTrainer.Monitoring;

/// <summary>
/// The training curves as a picture: on the left the losses per epoch (training, validation, test),
/// on the right the accuracies (validation, test), each with its axes, ticks and a legend. It
/// collects the epochs as they are reported and draws them when asked.
/// </summary>
public sealed class CurvesPlot : IProgress<TrainingProgress>
{
    public const int Width = 1100, Height = 460;
    static readonly SKColor Blue = new(0x1f, 0x77, 0xb4), Orange = new(0xff, 0x7f, 0x0e), Green = new(0x2c, 0xa0, 0x2c);
    readonly SortedDictionary<int, EpochCompleted> epochs = [];

    public void Report(TrainingProgress value)
    {
        if (value is EpochCompleted e) epochs[e.Epoch] = e;
    }

    /// <summary>Draws the epochs reported so far into a PNG file, written by <see cref="ImageWriter"/>.</summary>
    public void Save(string path)
    {
        var list = epochs.Values.ToList();
        using var bitmap = new SKBitmap(Width, Height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            DrawPanel(canvas, new SKRect(80, 50, 520, 390), "Loss", list,
                [("training", Blue, e => e.AverageLoss), ("validation", Orange, e => e.ValidationLoss), ("test", Green, e => e.TestLoss)], percent: false);
            DrawPanel(canvas, new SKRect(630, 50, 1070, 390), "Accuracy", list,
                [("validation", Orange, e => e.ValidationAccuracy), ("test", Green, e => e.TestAccuracy)], percent: true);
        }
        ImageWriter.Save(path, bitmap);
    }

    static void DrawPanel(SKCanvas canvas, SKRect axes, string title, List<EpochCompleted> list,
        (string Name, SKColor Color, Func<EpochCompleted, double?> Value)[] series, bool percent)
    {
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 15, Typeface = TextFont.Typeface };
        using var frame = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var grid = new SKPaint { Color = new SKColor(0xe0, 0xe0, 0xe0), StrokeWidth = 1, Style = SKPaintStyle.Stroke };

        var present = series.Where(s => list.Any(e => s.Value(e) is double v && double.IsFinite(v))).ToArray();
        var values = present.SelectMany(s => list.Select(s.Value)).OfType<double>().Where(double.IsFinite).ToList();
        double yMin = values.Count > 0 ? values.Min() : 0, yMax = values.Count > 0 ? values.Max() : 1;
        if (yMax - yMin < 1e-9) (yMin, yMax) = (yMin - 0.5, yMax + 0.5);
        double step = NiceStep((yMax - yMin) / 5);
        yMin = Math.Floor(yMin / step) * step;
        yMax = Math.Ceiling(yMax / step) * step;
        int lastEpoch = Math.Max(2, list.Count > 0 ? list[^1].Epoch : 2);
        float X(double epoch) => (float)(axes.Left + (epoch - 1) / (lastEpoch - 1) * axes.Width);
        float Y(double value) => (float)(axes.Bottom - (value - yMin) / (yMax - yMin) * axes.Height);

        text.TextAlign = SKTextAlign.Right;
        for (double y = yMin; y <= yMax + step / 2; y += step)
        {
            canvas.DrawLine(axes.Left, Y(y), axes.Right, Y(y), grid);
            canvas.DrawLine(axes.Left - 5, Y(y), axes.Left, Y(y), frame);
            string label = percent ? (y * 100).ToString(step * 100 < 1 ? "0.0" : "0", CultureInfo.InvariantCulture) + "%" : y.ToString(step < 0.1 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
            canvas.DrawText(label, axes.Left - 8, Y(y) + 5, text);
        }
        text.TextAlign = SKTextAlign.Center;
        int xStep = (int)Math.Max(1, NiceStep(lastEpoch / 8.0));
        for (int epoch = 1; epoch <= lastEpoch; epoch += epoch == 1 && xStep > 1 ? xStep - 1 : xStep)
        {
            canvas.DrawLine(X(epoch), axes.Bottom, X(epoch), axes.Bottom + 5, frame);
            canvas.DrawText(epoch.ToString(CultureInfo.InvariantCulture), X(epoch), axes.Bottom + 21, text);
        }
        canvas.DrawText("epoch", axes.MidX, axes.Bottom + 45, text);
        canvas.DrawRect(axes, frame);
        text.TextSize = 18;
        canvas.DrawText(title, axes.MidX, axes.Top - 16, text);

        text.TextSize = 15;
        text.TextAlign = SKTextAlign.Left;
        float legendY = percent ? axes.Bottom - 12 - 22 * (present.Length - 1) : axes.Top + 22;
        foreach (var (name, color, value) in present)
        {
            using var line = new SKPaint { Color = color, StrokeWidth = 2.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
            using var dot = new SKPaint { Color = color, IsAntialias = true };
            using var path = new SKPath();
            foreach (var e in list)
            {
                if (value(e) is not double v || !double.IsFinite(v)) continue;
                if (path.IsEmpty) path.MoveTo(X(e.Epoch), Y(v)); else path.LineTo(X(e.Epoch), Y(v));
                canvas.DrawCircle(X(e.Epoch), Y(v), 3, dot);
            }
            canvas.DrawPath(path, line);
            canvas.DrawLine(axes.Right - 130, legendY - 5, axes.Right - 100, legendY - 5, line);
            canvas.DrawText(name, axes.Right - 92, legendY, text);
            legendY += 22;
        }
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }
}
