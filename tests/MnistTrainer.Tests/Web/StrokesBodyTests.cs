using MnistTrainer.Web;

namespace MnistTrainer.Tests.Web;

public class StrokesBodyTests
{
    static double[][] Stroke(int points) => Enumerable.Range(0, points).Select(i => new double[] { i, i }).ToArray();

    [Fact]
    public void A_drawing_becomes_pen_strokes_point_for_point()
    {
        var drawing = new StrokesBody(280, [Stroke(3), [[5, 6]]]).ToPenStrokes();
        Assert.Equal(280, drawing.PadSide);
        Assert.Equal([(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)], drawing.Strokes[0]);
        Assert.Equal([(5.0, 6.0)], drawing.Strokes[1]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-3.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e300)]
    public void The_pad_side_must_be_a_positive_number(double side)
    {
        var e = Assert.Throws<ApiException>(() => new StrokesBody(side, [Stroke(1)]).ToPenStrokes());
        Assert.Equal(400, e.Status);
    }

    [Fact]
    public void Too_many_strokes_or_points_are_refused_saying_how_many()
    {
        var strokes = Assert.Throws<ApiException>(() => new StrokesBody(280, Enumerable.Repeat(Stroke(1), 1001).ToArray()).ToPenStrokes());
        Assert.Equal("the drawing has 1,001 strokes; the server takes up to 1,000", strokes.Message);
        var points = Assert.Throws<ApiException>(() => new StrokesBody(280, [Stroke(60_000), Stroke(40_001)]).ToPenStrokes());
        Assert.Equal("the drawing has 100,001 points; the server takes up to 100,000", points.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-1e308)]
    public void A_point_that_is_not_finite_or_beyond_a_billion_is_refused(double y)
    {
        var e = Assert.Throws<ApiException>(() => new StrokesBody(280, [[[1, y], [1, 1e308]]]).ToPenStrokes());
        Assert.Equal("every point must be two numbers, [x, y]", e.Message);
    }
}
