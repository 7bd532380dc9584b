using MnistTrainer.Files;
using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>
/// Reads PNG, JPEG, BMP, GIF (first frame) and WebP files as grayscale. The size is checked from the
/// header before any pixel is decoded, so a small file that declares a gigantic image is refused cheaply.
/// </summary>
public static class ImageFile
{
    /// <summary>The default limit, for files given on the command line; <c>serve</c> gives a lower one.</summary>
    public const long MaxPixels = 50_000_000;
    public static readonly IReadOnlyList<string> Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    public static GrayImage Read(string path)
    {
        using var file = InputFile.Open(path, "image file");
        return Read(file, path);
    }

    /// <summary>
    /// Reads an image from a seekable stream (a file, or bytes received by <c>serve</c>); errors name it
    /// <paramref name="source"/>, as they name the path for a file. An image of more than
    /// <paramref name="maxPixels"/> is refused from its header with <see cref="ImageTooLargeException"/>.
    /// </summary>
    public static GrayImage Read(Stream stream, string source, long maxPixels = MaxPixels)
    {
        if (stream.Length == 0) throw new ImageFileException(source, "file is empty");
        using var codec = SKCodec.Create(stream, out var created)
            ?? throw new ImageFileException(source, created == SKCodecResult.IncompleteInput
                ? "image header is cut short or invalid"
                : "not an image this program can read (PNG, JPEG, BMP, GIF or WebP), or its header is damaged");

        int width = codec.Info.Width, height = codec.Info.Height;
        if (width < 1 || height < 1) throw new ImageFileException(source, $"image has no pixels ({width}×{height})");
        if ((long)width * height > maxPixels) throw new ImageTooLargeException(source, width, height, maxPixels);

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var result = codec.GetPixels(info, rgba);
        if (result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput)
            throw new ImageFileException(source, "image data is cut short or damaged");
        if (result != SKCodecResult.Success)
            throw new ImageFileException(source, $"image cannot be decoded ({result})");
        return Grayscale.FromRgba(width, height, rgba);
    }

}
