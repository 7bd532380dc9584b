using MnistTrainer.Inference;
using SkiaSharp;

namespace MnistTrainer.Samples;

/// <summary>The sample pictures shipped in data/samples/, made by this program (the hidden <c>make-samples</c> command).</summary>
public static class SampleSet
{
    public sealed record Sample(string FileName, char Digit, SKEncodedImageFormat Format, DigitStyle Style);

    const int Width = 300, Height = 400;

    public static readonly IReadOnlyList<Sample> All =
    [
        new("three-dark-on-white.png", '3', SKEncodedImageFormat.Png,
            new(Width, Height, new SKPoint(110, 160), 170, new SKColor(0x20, 0x20, 0x20), SKColors.White, RotationDegrees: -6)),
        new("seven-photo.jpg", '7', SKEncodedImageFormat.Jpeg,
            new(Width, Height, new SKPoint(175, 235), 190, new SKColor(0x1a, 0x2a, 0x5a), new SKColor(0xe8, 0xe4, 0xda), RotationDegrees: 4, PaperTexture: true, Seed: 7)),
        new("two-chalk-on-board.webp", '2', SKEncodedImageFormat.Webp,
            new(Width, Height, new SKPoint(140, 210), 150, new SKColor(0xf0, 0xf0, 0xe8), new SKColor(0x22, 0x2c, 0x26), RotationDegrees: 3)),
        new("five-transparent.png", '5', SKEncodedImageFormat.Png,
            new(Width, Height, new SKPoint(165, 190), 200, SKColors.Black, SKColors.Transparent, RotationDegrees: -3)),
    ];

    public static void WriteAll(string folder)
    {
        foreach (var sample in All)
        {
            using var bitmap = DigitPicture.Render(sample.Digit, sample.Style);
            ImageWriter.Save(Path.Combine(folder, sample.FileName), bitmap, sample.Format, quality: 90);
        }
    }
}

/// <summary>How to draw a digit like a picture someone took of one: where, in which colours, on what paper.</summary>
public sealed record DigitStyle(int Width, int Height, SKPoint Centre, float GlyphHeight, SKColor Ink, SKColor Paper,
    float RotationDegrees = 0, bool PaperTexture = false, int Seed = 0);

/// <summary>Renders a digit in <see cref="TextFont"/> (DejaVu Sans): the project's own stand-in for a photo of a handwritten digit.</summary>
public static class DigitPicture
{
    public static SKBitmap Render(char digit, DigitStyle style)
    {
        var bitmap = new SKBitmap(new SKImageInfo(style.Width, style.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(style.Paper);
            using var paint = new SKPaint { Color = style.Ink, IsAntialias = true, Typeface = TextFont.Typeface, TextSize = 100 };
            var bounds = new SKRect();
            paint.MeasureText(digit.ToString(), ref bounds);
            paint.TextSize = 100 * style.GlyphHeight / bounds.Height;
            paint.MeasureText(digit.ToString(), ref bounds);
            canvas.Translate(style.Centre.X, style.Centre.Y);
            canvas.RotateDegrees(style.RotationDegrees);
            canvas.DrawText(digit.ToString(), -bounds.MidX, -bounds.MidY, paint);
        }
        if (style.PaperTexture) AddTexture(bitmap, style.Seed);
        return bitmap;
    }

    /// <summary>Uneven light (brighter at the top left) and grain, as in a phone photo of paper.</summary>
    static void AddTexture(SKBitmap bitmap, int seed)
    {
        var random = new Random(seed);
        using var pixmap = bitmap.PeekPixels();
        var pixels = pixmap.GetPixelSpan<byte>();
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                double light = -30.0 * (x + y) / (bitmap.Width + bitmap.Height) + (random.NextDouble() - 0.5) * 16;
                int i = y * pixmap.RowBytes + 4 * x;
                for (int c = 0; c < 3; c++)
                    pixels[i + c] = (byte)Math.Clamp(pixels[i + c] + light, 0, 255);
            }
    }
}
