using MnistTrainer.Data;
using MnistTrainer.Inference;
using Xunit.Abstractions;

namespace MnistTrainer.Tests.Inference;

public class StrokeRendererTests(ITestOutputHelper log)
{
    const double Pad = 280;
    const int Side = DatasetInfo.ImageSide;

    static PenStrokes OnPad(int digit, double height, double x, double y) =>
        new(Pad, StrokeDigits.Placed(digit, height, x, y).Select(s => s.Select(p => (p.X * Pad, p.Y * Pad)).ToArray()).ToArray());

    static GrayImage Image(byte[] pixels) => new(Side, Side, pixels);

    /// <summary>The box of the pixels with ink (over a quarter of full), as width and height.</summary>
    static (int Width, int Height) InkBox(byte[] pixels)
    {
        var inked = Enumerable.Range(0, pixels.Length).Where(i => pixels[i] >= 64).ToArray();
        return (inked.Max(i => i % Side) - inked.Min(i => i % Side) + 1, inked.Max(i => i / Side) - inked.Min(i => i / Side) + 1);
    }

    [Fact]
    public void The_ten_stroke_digits_are_read_alike_at_every_size_and_position()
    {
        var predictor = new Predictor(TestModel.Model.Network);
        var read = new int[10, StrokeDigits.Sizes.Count * StrokeDigits.Positions.Count];
        for (int s = 0; s < StrokeDigits.Sizes.Count; s++)
        {
            var (size, height) = StrokeDigits.Sizes[s];
            for (int w = 0; w < StrokeDigits.Positions.Count; w++)
            {
                var (where, x, y) = StrokeDigits.Positions[w];
                for (int digit = 0; digit < 10; digit++)
                    read[digit, s * StrokeDigits.Positions.Count + w] = predictor.Predict(StrokeRenderer.Render(OnPad(digit, height, x, y))).PredictedClass;
                log.WriteLine($"{size,-6} {where,-12} read as {string.Join(" ", Enumerable.Range(0, 10).Select(d => read[d, s * StrokeDigits.Positions.Count + w]))}");
            }
        }
        for (int digit = 0; digit < 10; digit++)
            Assert.All(Enumerable.Range(0, read.GetLength(1)), v => Assert.Equal(read[digit, 0], read[digit, v]));
        Assert.InRange(Enumerable.Range(0, 10).Count(d => read[d, 0] == d), 9, 10);
    }

    [Fact]
    public void A_digit_drawn_at_a_quarter_of_the_pad_becomes_what_the_whole_pad_gives()
    {
        for (int digit = 0; digit < 10; digit++)
        {
            var small = StrokeRenderer.Render(OnPad(digit, 0.25, 0.25, 0.25));
            var large = StrokeRenderer.Render(OnPad(digit, 0.9, 0.5, 0.5));
            // The same strokes, scaled: the same pen width, so about the same ink, and nearly the same pixels.
            Assert.InRange(small.Sum(p => p) / (double)large.Sum(p => p), 0.95, 1.05);
            Assert.InRange(small.Zip(large, (a, b) => Math.Abs(a - b)).Average(), 0, 8);
        }
    }

    [Fact]
    public void The_ink_fills_the_20_pixel_box_and_its_centre_of_mass_is_the_middle()
    {
        for (int digit = 0; digit < 10; digit++)
        {
            var pixels = StrokeRenderer.Render(OnPad(digit, 0.55, 0.75, 0.75));
            var (width, height) = InkBox(pixels);
            Assert.InRange(Math.Max(width, height), 18, 20);
            var (cx, cy) = ImagePreprocessor.CentreOfMass(Image(pixels));
            Assert.InRange(cx, 13, 14);
            Assert.InRange(cy, 13, 14);
            Assert.Equal(255, pixels.Max());
        }
    }

    [Fact]
    public void A_tap_is_a_small_round_dot_and_so_is_a_tap_that_slipped_a_pixel()
    {
        foreach (var tap in new[] { new[] { (100.0, 120.0) }, new[] { (100.0, 120.0), (101.0, 120.5) } })
        {
            var pixels = StrokeRenderer.Render(new PenStrokes(Pad, [tap]));
            Assert.True(pixels.Any(p => p > 0), "a tap draws nothing");
            var (width, height) = InkBox(pixels);
            Assert.InRange(width, 1, 4);
            Assert.InRange(height, 1, 4);
        }
    }

    [Fact]
    public void A_drawing_without_points_is_refused()
    {
        Assert.Throws<ArgumentException>(() => StrokeRenderer.Render(new PenStrokes(Pad, [])));
        Assert.Throws<ArgumentException>(() => StrokeRenderer.Render(new PenStrokes(Pad, [[]])));
    }
}
