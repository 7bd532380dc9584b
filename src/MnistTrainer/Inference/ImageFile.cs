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
    /// <paramref name="source"/>, as they name the path for a file.
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
        return Gray(width, height, rgba);
    }

    /// <summary>
    /// Colour to gray (Rec. 601 luma, as most image tools use). Transparent parts take the shade opposite to
    /// the drawing's average (white under dark ink, black under light ink), so a drawing on a transparent
    /// canvas stays visible whatever colour the transparent pixels happen to store.
    /// </summary>
    static GrayImage Gray(int width, int height, byte[] rgba)
    {
        var gray = new byte[width * height];
        long inkSum = 0, alphaSum = 0;
        for (int i = 0; i < gray.Length; i++)
        {
            int r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2], alpha = rgba[4 * i + 3];
            gray[i] = (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);
            inkSum += gray[i] * alpha;
            alphaSum += alpha;
        }
        if (alphaSum < 255L * gray.Length)
        {
            int backdrop = alphaSum > 0 && inkSum / alphaSum >= 128 ? 0 : 255;
            for (int i = 0; i < gray.Length; i++)
                gray[i] = (byte)((gray[i] * rgba[4 * i + 3] + backdrop * (255 - rgba[4 * i + 3]) + 127) / 255);
        }
        return new GrayImage(width, height, gray);
    }
}

/// <summary>Expands the paths given on the command line: a folder stands for the image files directly in it, in name order.</summary>
public static class ImageFolder
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths) => paths.SelectMany(path =>
    {
        if (!Directory.Exists(path)) return [path];
        var images = Directory.EnumerateFiles(path)
            .Where(f => ImageFile.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        return images.Count > 0 ? images
            : throw new ImageFileException(path, $"folder has no image files ({string.Join(", ", ImageFile.Extensions)})");
    }).ToList();
}

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
        using var bitmap = image.ToBitmap();
        Save(path, bitmap);
    }
}

/// <summary>An image file that is not an image this program can decode, is too large, or has nothing drawn. The message names the file.</summary>
public class ImageFileException(string path, string problem) : FileProblemException(path, problem);

/// <summary>An image whose header declares more pixels than the reader takes; <c>serve</c> answers it with 413, not 400.</summary>
public sealed class ImageTooLargeException(string path, int width, int height, long maxPixels)
    : ImageFileException(path, $"image is {width:N0}×{height:N0} pixels, more than the limit of {maxPixels / 1_000_000} megapixels");
