using MnistTrainer.Inference;
using SkiaSharp;

namespace MnistTrainer.Samples;

/// <summary>The sample pictures shipped in data/samples/, made by this program (the hidden <c>make-samples</c> command).</summary>
public static class SampleSet
{
    public sealed record Sample(string FileName, char Digit, DigitStyle Style, SKEncodedImageFormat Format);

    const int Width = 300, Height = 400;

    public static readonly IReadOnlyList<Sample> All =
    [
        new("three-dark-on-white.png", '3',
            new(Width, Height, new SKPoint(110, 160), 170, new SKColor(0x20, 0x20, 0x20), SKColors.White, RotationDegrees: -6),
            SKEncodedImageFormat.Png),
        new("seven-photo.jpg", '7',
            new(Width, Height, new SKPoint(175, 235), 190, new SKColor(0x1a, 0x2a, 0x5a), new SKColor(0xe8, 0xe4, 0xda), RotationDegrees: 4, PaperTexture: true, Seed: 7),
            SKEncodedImageFormat.Jpeg),
        new("two-chalk-on-board.webp", '2',
            new(Width, Height, new SKPoint(140, 210), 150, new SKColor(0xf0, 0xf0, 0xe8), new SKColor(0x22, 0x2c, 0x26), RotationDegrees: 3),
            SKEncodedImageFormat.Webp),
        new("five-transparent.png", '5',
            new(Width, Height, new SKPoint(165, 190), 200, SKColors.Black, SKColors.Transparent, RotationDegrees: -3),
            SKEncodedImageFormat.Png),
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
