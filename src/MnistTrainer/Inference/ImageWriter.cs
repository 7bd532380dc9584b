using MnistTrainer.Model;
using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>Writes pictures as image files, atomically: the target name only ever holds a complete file.</summary>
public static class ImageWriter
{
    public static void Save(string path, SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        using var encoded = bitmap.Encode(format, quality)
            ?? throw new ImageFileException(path, $"the picture could not be encoded as {format}");
        try
        {
            AtomicFile.Write(path, encoded.SaveTo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFileException(path, $"cannot be written ({AtomicFile.WriteFailure(e)}); any previous file there is unchanged", e);
        }
    }

    /// <summary>A grayscale PNG of the image, e.g. a 28×28 test image exactly as the network sees its bytes.</summary>
    public static void SaveGrayPng(string path, GrayImage image)
    {
        using var bitmap = GrayBitmap.From(image);
        Save(path, bitmap);
    }
}
