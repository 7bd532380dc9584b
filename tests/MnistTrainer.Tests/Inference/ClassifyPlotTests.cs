using MnistTrainer.Data;
using MnistTrainer.Inference;
using SkiaSharp;

namespace MnistTrainer.Tests.Inference;

public class ClassifyPlotTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_figure_is_written_with_its_size_the_image_the_bars_and_text()
    {
        var pixels = new byte[784];
        for (int y = 4; y < 24; y++) pixels[y * 28 + 14] = 255;
        double[] probabilities = [0.01, 0.9, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];
        var path = folder["plot.png"];
        using (var figure = ClassifyPlot.Draw(new GrayImage(28, 28, pixels), probabilities, DatasetInfo.FashionMnist.ClassNames))
            ImageWriter.Save(path, figure);

        using var png = SKBitmap.Decode(path);
        Assert.Equal((ClassifyPlot.Width, ClassifyPlot.Height), (png.Width, png.Height));
        var colours = png.Pixels.ToHashSet();
        Assert.Contains(new SKColor(0x1f, 0x77, 0xb4), colours); // the bars
        Assert.Contains(new SKColor(0x44, 0x01, 0x54), colours); // the image's black, in viridis
        Assert.Contains(new SKColor(0xfd, 0xe7, 0x25), colours); // the image's white, in viridis
        AssertTitleDrawn(png);
    }

    /// <summary>The figure on a system with no fonts: the built-in DejaVu Sans is used, and draws the text.</summary>
    [Fact]
    public void Without_a_system_font_the_text_is_drawn_in_the_built_in_font()
    {
        Assert.Same(TextFont.Embedded, TextFont.SystemOrEmbedded(null));
        Assert.Equal(TextFont.Family, TextFont.Embedded.FamilyName);

        double[] probabilities = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
        using var figure = ClassifyPlot.Draw(new GrayImage(28, 28, new byte[784]), probabilities, DatasetInfo.Mnist.ClassNames, TextFont.Embedded);

        AssertTitleDrawn(figure);
    }

    /// <summary>Text drawn: dark anti-aliased pixels above the axes, where only the title is.</summary>
    static void AssertTitleDrawn(SKBitmap figure)
    {
        int titlePixels = Enumerable.Range(0, figure.Width).SelectMany(x => Enumerable.Range(15, 30).Select(y => figure.GetPixel(x, y)))
            .Count(c => c.Red < 128 && c.Green < 128 && c.Blue < 128);
        Assert.True(titlePixels > 100, $"only {titlePixels} dark pixels where the title should be");
    }
}
