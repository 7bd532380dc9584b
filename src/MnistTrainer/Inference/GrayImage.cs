using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>A grayscale picture: <see cref="Width"/>×<see cref="Height"/> bytes, row-major, 0 = black, 255 = white.</summary>
public sealed record GrayImage(int Width, int Height, byte[] Pixels)
{
    public byte this[int x, int y] => Pixels[y * Width + x];

    /// <summary>The image as a SkiaSharp 8-bit gray bitmap (whose rows may be padded).</summary>
    public SKBitmap ToBitmap()
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque));
        using var pixmap = bitmap.PeekPixels();
        var rows = pixmap.GetPixelSpan<byte>();
        for (int y = 0; y < Height; y++)
            Pixels.AsSpan(y * Width, Width).CopyTo(rows.Slice(y * pixmap.RowBytes));
        return bitmap;
    }

    /// <summary>The bytes of a bitmap of one byte a pixel: Gray8's shades, or Alpha8's coverage as ink.</summary>
    public static GrayImage From(SKBitmap bitmap)
    {
        var pixels = new byte[bitmap.Width * bitmap.Height];
        var rows = bitmap.GetPixelSpan();
        for (int y = 0; y < bitmap.Height; y++)
            rows.Slice(y * bitmap.RowBytes, bitmap.Width).CopyTo(pixels.AsSpan(y * bitmap.Width));
        return new GrayImage(bitmap.Width, bitmap.Height, pixels);
    }
}
