namespace MnistTrainer.Tests;

/// <summary>
/// The ten digits as a person draws them: strokes (lists of points) in a box one unit high, x to the
/// right and y down, about 0.6 wide (the 1 narrower). <see cref="Placed"/> puts one on a square pad at a
/// size and a position, as fractions of the pad, for the tests that draw them at every size.
/// </summary>
public static class StrokeDigits
{
    /// <summary>Heights as fractions of the pad: a quarter of it, about half, nearly all of it.</summary>
    public static readonly IReadOnlyList<(string Name, double Height)> Sizes = [("small", 0.25), ("medium", 0.55), ("large", 0.9)];

    /// <summary>Where the digit's centre is asked to be (it is moved in as far as needed to stay on the pad).</summary>
    public static readonly IReadOnlyList<(string Name, double X, double Y)> Positions =
        [("centre", 0.5, 0.5), ("top left", 0.25, 0.25), ("bottom right", 0.75, 0.75)];

    public static IReadOnlyList<(double X, double Y)[]> Strokes(int digit) => digit switch
    {
        0 => [Arc(0.3, 0.5, 0.28, 0.47, -90, 275)],
        1 => [Line((0.34, 0.02), (0.26, 0.98))],
        2 => [[.. Arc(0.3, 0.27, 0.25, 0.24, 200, 380), .. Line((0.52, 0.38), (0.02, 0.97), (0.6, 0.97)).Skip(1)]],
        3 => [[.. Arc(0.28, 0.26, 0.24, 0.24, 200, 450), .. Arc(0.28, 0.74, 0.25, 0.24, 270, 520).Skip(1)]],
        4 => [Line((0.4, 0.02), (0.03, 0.65), (0.6, 0.65)), Line((0.46, 0.35), (0.46, 0.98))],
        5 => [[.. Line((0.56, 0.03), (0.12, 0.03), (0.09, 0.47)), .. Arc(0.31, 0.7, 0.27, 0.27, 225, 510).Skip(1)]],
        6 => [[.. Line((0.5, 0.02), (0.28, 0.22), (0.1, 0.5)), .. Arc(0.33, 0.73, 0.24, 0.24, 200, -160).Skip(1)]],
        7 => [Line((0.03, 0.05), (0.6, 0.05), (0.24, 0.97))],
        8 => [Arc(0.3, 0.26, 0.22, 0.23, 90, 450), Arc(0.3, 0.74, 0.26, 0.24, -90, 270)],
        9 => [[.. Arc(0.3, 0.28, 0.25, 0.25, 0, -360), .. Line((0.55, 0.28), (0.5, 0.98)).Skip(1)]],
        _ => throw new ArgumentOutOfRangeException(nameof(digit)),
    };

    /// <summary>
    /// Digit <paramref name="digit"/>'s strokes on a pad of side 1, <paramref name="height"/> high, centred
    /// on (<paramref name="x"/>, <paramref name="y"/>) or as near as the pad's margin of 0.04 allows.
    /// </summary>
    public static IReadOnlyList<(double X, double Y)[]> Placed(int digit, double height, double x, double y)
    {
        var strokes = Strokes(digit);
        var all = strokes.SelectMany(s => s).ToArray();
        double left = all.Min(p => p.X), right = all.Max(p => p.X), top = all.Min(p => p.Y), bottom = all.Max(p => p.Y);
        double scale = height / (bottom - top);
        double width = (right - left) * scale;
        const double margin = 0.04;
        double x0 = Math.Clamp(x - width / 2, margin, 1 - margin - width);
        double y0 = Math.Clamp(y - height / 2, margin, 1 - margin - height);
        return strokes.Select(s => s.Select(p => (x0 + (p.X - left) * scale, y0 + (p.Y - top) * scale)).ToArray()).ToArray();
    }

    /// <summary>An elliptical arc from <paramref name="from"/> to <paramref name="to"/> degrees (y down: 90 is the bottom), a point every 10°.</summary>
    static (double X, double Y)[] Arc(double cx, double cy, double rx, double ry, double from, double to)
    {
        int steps = (int)Math.Ceiling(Math.Abs(to - from) / 10);
        return Enumerable.Range(0, steps + 1).Select(i =>
        {
            double angle = (from + (to - from) * i / steps) * Math.PI / 180;
            return (cx + rx * Math.Cos(angle), cy + ry * Math.Sin(angle));
        }).ToArray();
    }

    /// <summary>A polyline through the corners, with points every 0.05 along it as a pointer reports them.</summary>
    static (double X, double Y)[] Line(params (double X, double Y)[] corners)
    {
        var points = new List<(double, double)> { corners[0] };
        for (int i = 1; i < corners.Length; i++)
        {
            var (a, b) = (corners[i - 1], corners[i]);
            int steps = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2)) / 0.05));
            for (int k = 1; k <= steps; k++)
                points.Add((a.X + (b.X - a.X) * k / steps, a.Y + (b.Y - a.Y) * k / steps));
        }
        return points.ToArray();
    }
}
