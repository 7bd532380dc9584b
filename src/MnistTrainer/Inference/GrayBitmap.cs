using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>Converts between <see cref="GrayImage"/> and SkiaSharp's 8-bit gray bitmaps (whose rows may be padded).</summary>
public static class GrayBitmap
{
    public static SKBitmap From(GrayImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        using var pixmap = bitmap.PeekPixels();
        var rows = pixmap.GetPixelSpan<byte>();
        for (int y = 0; y < image.Height; y++)
            image.Pixels.AsSpan(y * image.Width, image.Width).CopyTo(rows.Slice(y * pixmap.RowBytes));
        return bitmap;
    }

    public static GrayImage To(SKBitmap bitmap)
    {
        if (bitmap.ColorType != SKColorType.Gray8) throw new ArgumentException($"expected a Gray8 bitmap, got {bitmap.ColorType}");
        var pixels = new byte[bitmap.Width * bitmap.Height];
        var rows = bitmap.GetPixelSpan();
        for (int y = 0; y < bitmap.Height; y++)
            rows.Slice(y * bitmap.RowBytes, bitmap.Width).CopyTo(pixels.AsSpan(y * bitmap.Width));
        return new GrayImage(bitmap.Width, bitmap.Height, pixels);
    }
}
