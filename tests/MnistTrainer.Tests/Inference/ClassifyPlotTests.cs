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
        // Text drawn: dark anti-aliased pixels above the axes, where only the title is.
        int titlePixels = Enumerable.Range(0, png.Width).SelectMany(x => Enumerable.Range(15, 30).Select(y => png.GetPixel(x, y)))
            .Count(c => c.Red < 128 && c.Green < 128 && c.Blue < 128);
        Assert.True(titlePixels > 100, $"only {titlePixels} dark pixels where the title should be: does SkiaSharp find a font?");
    }
}
