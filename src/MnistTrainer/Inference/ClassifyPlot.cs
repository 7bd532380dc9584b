using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>
/// The lesson's <c>view_classify</c> figure: the input image on the left (matplotlib's default viridis
/// colours), and on the right a horizontal bar per class with its probability, x from 0 to 1.1, titled
/// "Class probability", class 0 at the bottom as <c>barh</c> draws it.
/// </summary>
public static class ClassifyPlot
{
    public const int Width = 800;
    public const int Height = 400;
    const float Top = 50, Bottom = 350;
    static readonly SKRect ImageArea = new(30, Top, 330, Bottom);
    static readonly SKRect Axes = new(470, Top, 770, Bottom);
    const double XMax = 1.1;
    // barh's bars are 0.8 high at y = 0 … 9; matplotlib adds 5% of margin around them.
    const double YMin = -0.89, YMax = 9.89, BarHeight = 0.8;
    static readonly SKColor BarColor = new(0x1f, 0x77, 0xb4);

    public static SKBitmap Draw(GrayImage image, IReadOnlyList<double> probabilities, IReadOnlyList<string> classNames, SKTypeface? typeface = null)
    {
        var bitmap = new SKBitmap(Width, Height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        DrawImage(canvas, image);
        DrawBars(canvas, probabilities, classNames, typeface ?? TextFont.Typeface);
        return bitmap;
    }

    static void DrawImage(SKCanvas canvas, GrayImage image)
    {
        using var colored = new SKBitmap(image.Width, image.Height);
        // imshow scales the colours from the image's darkest to its lightest pixel.
        int min = image.Pixels.Min(), max = image.Pixels.Max();
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                colored.SetPixel(x, y, Viridis(max == min ? 0 : (image[x, y] - min) / (double)(max - min)));
        float side = Math.Min(ImageArea.Width, ImageArea.Height);
        var target = SKRect.Create(ImageArea.MidX - side / 2, ImageArea.MidY - side / 2, side, side);
        using var paint = new SKPaint { FilterQuality = SKFilterQuality.None };
        canvas.DrawBitmap(colored, target, paint);
    }

    static void DrawBars(SKCanvas canvas, IReadOnlyList<double> probabilities, IReadOnlyList<string> classNames, SKTypeface typeface)
    {
        using var bar = new SKPaint { Color = BarColor, IsAntialias = true };
        using var line = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 14, Typeface = typeface };

        for (int c = 0; c < probabilities.Count; c++)
        {
            canvas.DrawRect(new SKRect(X(0), Y(c + BarHeight / 2), X(Math.Clamp(probabilities[c], 0, XMax)), Y(c - BarHeight / 2)), bar);
            canvas.DrawLine(Axes.Left - 4, Y(c), Axes.Left, Y(c), line);
            text.TextAlign = SKTextAlign.Right;
            canvas.DrawText(classNames[c], Axes.Left - 7, Y(c) + 5, text);
        }
        text.TextAlign = SKTextAlign.Center;
        for (int i = 0; i <= 5; i++)
        {
            double value = i * 0.2;
            canvas.DrawLine(X(value), Axes.Bottom, X(value), Axes.Bottom + 4, line);
            canvas.DrawText(value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), X(value), Axes.Bottom + 19, text);
        }
        canvas.DrawRect(Axes, line);
        text.TextSize = 17;
        canvas.DrawText("Class probability", Axes.MidX, Axes.Top - 10, text);
    }

    static float X(double value) => (float)(Axes.Left + value / XMax * Axes.Width);
    static float Y(double value) => (float)(Axes.Bottom - (value - YMin) / (YMax - YMin) * Axes.Height);

    static readonly uint[] ViridisStops = [0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xfde725];

    /// <summary>matplotlib's default colour map, from nine of its colours with straight lines between them.</summary>
    static SKColor Viridis(double t)
    {
        double position = Math.Clamp(t, 0, 1) * (ViridisStops.Length - 1);
        int i = Math.Min((int)position, ViridisStops.Length - 2);
        double f = position - i;
        byte Channel(int shift) => (byte)Math.Round(((ViridisStops[i] >> shift) & 0xff) * (1 - f) + ((ViridisStops[i + 1] >> shift) & 0xff) * f);
        return new SKColor(Channel(16), Channel(8), Channel(0));
    }
}
