using Microsoft.AspNetCore.Http;
using MnistTrainer.Inference;

namespace MnistTrainer.Web;

/// <summary>
/// The JSON body of <c>POST /api/predict-strokes</c>: <c>{"padSide": 280, "strokes": [[[x, y], …], …]}</c>, the
/// side of the square the drawing was made on and each stroke's points in the same unit (y down).
/// </summary>
public sealed record StrokesBody(double? PadSide, double[][][]? Strokes)
{
    /// <summary>Enough for any drawing by hand (a pointer reports about 60–120 points a second); bounds the work of one request.</summary>
    public const int MaxStrokes = 1_000, MaxPoints = 100_000;

    public const string Shape = """{"padSide": 280, "strokes": [[[x, y], ...], ...]}""";

    /// <summary>The drawing, or an <see cref="ApiException"/> (400) saying what is wrong with the body.</summary>
    public PenStrokes ToPenStrokes()
    {
        if (PadSide is not double side || !Usable(side) || side <= 0)
            throw Bad("padSide must be the drawing area's side, a number above 0");
        if (Strokes is not { Length: > 0 } strokes)
            throw Bad("the drawing is empty: draw something first");
        if (strokes.Length > MaxStrokes)
            throw Bad($"the drawing has {strokes.Length:N0} strokes; the server takes up to {MaxStrokes:N0}");
        long points = strokes.Sum(s => (long)(s?.Length ?? 0));
        if (points > MaxPoints)
            throw Bad($"the drawing has {points:N0} points; the server takes up to {MaxPoints:N0}");
        if (strokes.Any(s => s is not { Length: > 0 }))
            throw Bad("every stroke needs at least one point");
        if (strokes.Any(s => s.Any(p => p is not { Length: 2 } || !Usable(p[0]) || !Usable(p[1]))))
            throw Bad("every point must be two numbers, [x, y]");
        return new PenStrokes(side, strokes.Select(s => s.Select(p => (p[0], p[1])).ToArray()).ToArray());
    }

    /// <summary>A finite number of less than a billion: no drawing needs more, and the renderer's sums stay exact enough.</summary>
    static bool Usable(double value) => double.IsFinite(value) && Math.Abs(value) < 1e9;

    static ApiException Bad(string problem) => new(StatusCodes.Status400BadRequest, problem);
}
