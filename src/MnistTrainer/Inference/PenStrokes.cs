namespace MnistTrainer.Inference;

/// <summary>
/// A drawing as the pen made it: each stroke the points it passed through, in order, on a square pad of side
/// <see cref="PadSide"/> (in any unit, e.g. the page's canvas pixels; y down). A stroke of one point is a tap.
/// </summary>
public sealed record PenStrokes(double PadSide, IReadOnlyList<(double X, double Y)[]> Strokes)
{
    public IEnumerable<(double X, double Y)> Points => Strokes.SelectMany(s => s);
}
