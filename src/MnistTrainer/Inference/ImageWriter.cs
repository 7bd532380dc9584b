using MnistTrainer.Files;
using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>Writes pictures as image files, by the rules of <see cref="OutputFile"/>.</summary>
public static class ImageWriter
{
    public static void Save(string path, SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        using var encoded = bitmap.Encode(format, quality)
            ?? throw new ImageFileException(path, $"the picture could not be encoded as {format}");
        OutputFile.Write(path, encoded.SaveTo);
    }

    /// <summary>A grayscale PNG of the image, e.g. a 28×28 test image exactly as the network sees its bytes.</summary>
    public static void SaveGrayPng(string path, GrayImage image)
    {
        using var bitmap = GrayBitmap.From(image);
        Save(path, bitmap);
    }
}
