using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>
/// A drawing as the pen made it: each stroke the points it passed through, in order, on a square pad of side
/// <see cref="PadSide"/> (in any unit, e.g. the page's canvas pixels; y down). A stroke of one point is a tap.
/// </summary>
public sealed record PenStrokes(double PadSide, IReadOnlyList<(double X, double Y)[]> Strokes);

/// <summary>
/// Draws pen strokes again as MNIST's digits look, whatever size they were drawn at: the strokes' points are
/// scaled so that the ink fits the 20×20 box, drawn with a pen about as wide as MNIST's strokes are there
/// (so a small digit does not become a thick blob, as it does when a picture of it is enlarged), and
/// placed in 28×28 by centre of mass as MNIST did. Pictures (uploads, files) go through
/// <see cref="ImagePreprocessor"/> instead: they have no strokes to draw again.
/// </summary>
public static class StrokeRenderer
{
    /// <summary>
    /// The pen's width in pixels of the 28×28 frame. MNIST's strokes are about 2–3 pixels wide; at 2.8 the ten
    /// stroke digits of the tests carry 91% of the average MNIST test digit's ink (whose edges are softer).
    /// </summary>
    public const float PenWidth = 2.8f;

    /// <summary>A drawing smaller than this share of the pad is scaled as if it were this big, so a tap stays a dot.</summary>
    const double SmallestShare = 0.1;

    /// <summary>The 784 pixels to feed the network (light ink on black); the drawing needs at least one point.</summary>
    public static byte[] Render(PenStrokes drawing)
    {
        var points = drawing.Strokes.SelectMany(s => s).ToArray();
        if (points.Length == 0) throw new ArgumentException("a drawing needs at least one point", nameof(drawing));
        double left = points.Min(p => p.X), top = points.Min(p => p.Y);
        double width = points.Max(p => p.X) - left, height = points.Max(p => p.Y) - top;
        // The pen's centre line fits the box less the pen's width, so that the ink fits the box.
        double scale = (ImagePreprocessor.Box - PenWidth) / Math.Max(Math.Max(width, height), drawing.PadSide * SmallestShare);
        // On the glyph, (left, top) is half a pen's width in from the corner.
        SKPoint At((double X, double Y) p) => new((float)((p.X - left) * scale + PenWidth / 2), (float)((p.Y - top) * scale + PenWidth / 2));

        // Alpha8: the pen's coverage of each pixel is the ink, from 0 to 255.
        using var bitmap = new SKBitmap(new SKImageInfo((int)Math.Ceiling(width * scale + PenWidth), (int)Math.Ceiling(height * scale + PenWidth),
            SKColorType.Alpha8, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var pen = new SKPaint { IsAntialias = true, Color = SKColors.White, StrokeWidth = PenWidth, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round })
        {
            canvas.Clear(SKColors.Transparent);
            foreach (var stroke in drawing.Strokes.Where(s => s.Length > 0))
            {
                if (stroke.Length == 1)
                {
                    // A tap: a round dot as wide as the pen (a line of no length would draw nothing).
                    pen.Style = SKPaintStyle.Fill;
                    canvas.DrawCircle(At(stroke[0]), PenWidth / 2, pen);
                    continue;
                }
                using var path = new SKPath();
                path.MoveTo(At(stroke[0]));
                foreach (var p in stroke.Skip(1)) path.LineTo(At(p));
                pen.Style = SKPaintStyle.Stroke;
                canvas.DrawPath(path, pen);
            }
        }
        return ImagePreprocessor.CentreByMass(GrayImage.From(bitmap));
    }
}
