using MnistTrainer.Data;
using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>
/// Turns a picture of a digit into what the network was trained on, the way MNIST itself was made:
/// light ink on a black background, the ink's bounding box scaled to fit 20×20 keeping its aspect
/// ratio, placed in 28×28 so that its centre of mass is at the centre.
/// </summary>
public static class ImagePreprocessor
{
    const int Side = DatasetInfo.ImageSide;
    /// <summary>MNIST's digits fit a 20×20 box inside the 28×28 frame.</summary>
    public const int Box = 20;
    /// <summary>Ink weaker than this (after stretching the strongest ink to 255) does not widen the bounding box: specks and paper texture.</summary>
    const int InkThreshold = 64;
    /// <summary>Below this difference from the background the picture counts as blank.</summary>
    const int MinContrast = 16;

    /// <summary>
    /// The 784 pixels to feed the network, or null when the picture has no drawing on it. A 28×28
    /// picture on a dark background is taken as MNIST-like and returned unchanged.
    /// </summary>
    public static byte[]? Prepare(GrayImage image)
    {
        int background = BorderMedian(image);
        if (HasNetworkSize(image) && background < 128) return (byte[])image.Pixels.Clone();

        var ink = Ink(image, background);
        if (ink == null) return null;
        var bounds = InkBounds(ink);
        double scale = (double)Box / Math.Max(bounds.Width, bounds.Height);
        var glyph = Resize(ink, bounds,
            Math.Max(1, (int)Math.Round(bounds.Width * scale)), Math.Max(1, (int)Math.Round(bounds.Height * scale)));
        return CentreByMass(Brightest255(glyph));
    }

    /// <summary>Whether the picture is 28×28, the size the network takes (and --raw needs).</summary>
    public static bool HasNetworkSize(GrayImage image) => image.Width == Side && image.Height == Side;

    /// <summary>The background's shade: the median of the outermost ring of pixels.</summary>
    public static int BorderMedian(GrayImage image)
    {
        var ring = new List<byte>();
        for (int x = 0; x < image.Width; x++)
        {
            ring.Add(image[x, 0]);
            ring.Add(image[x, image.Height - 1]);
        }
        for (int y = 1; y < image.Height - 1; y++)
        {
            ring.Add(image[0, y]);
            ring.Add(image[image.Width - 1, y]);
        }
        ring.Sort();
        return ring[ring.Count / 2];
    }

    /// <summary>
    /// How far each pixel is from the background towards the ink, as 0–255 with the strongest ink at
    /// 255; null if there is none. The weakest eighth of that range counts as paper (uneven light,
    /// grain, JPEG noise) and becomes 0, as MNIST's background is.
    /// </summary>
    static GrayImage? Ink(GrayImage image, int background)
    {
        bool lightBackground = background >= 128;
        var distance = image.Pixels.Select(p => Math.Max(0, lightBackground ? background - p : p - background)).ToArray();
        int strongest = distance.Max();
        if (strongest < MinContrast) return null;
        int paper = strongest / 8;
        var ink = distance.Select(d => (byte)(Math.Max(0, d - paper) * 255 / (strongest - paper))).ToArray();
        return new GrayImage(image.Width, image.Height, ink);
    }

    static SKRectI InkBounds(GrayImage ink)
    {
        int left = ink.Width, top = ink.Height, right = -1, bottom = -1;
        for (int y = 0; y < ink.Height; y++)
            for (int x = 0; x < ink.Width; x++)
                if (ink[x, y] >= InkThreshold)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }
        return new SKRectI(left, top, right + 1, bottom + 1);
    }

    /// <summary>
    /// The part <paramref name="area"/> of the image, resampled smoothly (mipmaps and cubic filtering) to
    /// <paramref name="width"/>×<paramref name="height"/>, so a big photo shrinks to soft anti-aliased strokes like MNIST's.
    /// </summary>
    static GrayImage Resize(GrayImage image, SKRectI area, int width, int height)
    {
        using var source = image.ToBitmap();
        using var part = new SKBitmap();
        source.ExtractSubset(part, area);
        using var resized = part.Resize(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), SKFilterQuality.High);
        return GrayImage.From(resized);
    }

    /// <summary>Shrinking softens thin strokes; MNIST's strongest ink is white, so stretch it back to 255.</summary>
    static GrayImage Brightest255(GrayImage glyph)
    {
        int max = glyph.Pixels.Max();
        return max == 0 ? glyph : new GrayImage(glyph.Width, glyph.Height, glyph.Pixels.Select(p => (byte)(p * 255 / max)).ToArray());
    }

    /// <summary>Places the glyph in 28×28 with its centre of mass on the middle (13.5, 13.5), as far as the frame allows.</summary>
    public static byte[] CentreByMass(GrayImage glyph)
    {
        var (cx, cy) = CentreOfMass(glyph);
        int dx = Math.Clamp((int)Math.Round((Side - 1) / 2.0 - cx), 0, Side - glyph.Width);
        int dy = Math.Clamp((int)Math.Round((Side - 1) / 2.0 - cy), 0, Side - glyph.Height);
        var result = new byte[Side * Side];
        for (int y = 0; y < glyph.Height; y++)
            glyph.Pixels.AsSpan(y * glyph.Width, glyph.Width).CopyTo(result.AsSpan((dy + y) * Side + dx));
        return result;
    }

    public static (double X, double Y) CentreOfMass(GrayImage image)
    {
        double sum = 0, x = 0, y = 0;
        for (int row = 0; row < image.Height; row++)
            for (int col = 0; col < image.Width; col++)
            {
                double v = image[col, row];
                sum += v;
                x += v * col;
                y += v * row;
            }
        return sum == 0 ? ((image.Width - 1) / 2.0, (image.Height - 1) / 2.0) : (x / sum, y / sum);
    }
}
