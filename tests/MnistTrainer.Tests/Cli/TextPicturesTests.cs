using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Cli;

public class TextPicturesTests
{
    [Fact]
    public void Draws_each_pixel_as_two_shade_characters_inside_a_frame()
    {
        byte[] pixels = [0, 64, 128, 255];
        var lines = TextPictures.Image(pixels, width: 2).ToList();
        Assert.Equal(["┌────┐", "│  ░░│", "│▒▒██│", "└────┘"], lines);
    }

    [Fact]
    public void One_bar_per_class_as_long_as_its_probability()
    {
        var lines = TextPictures.Chart("Class probability", ["cat", "dog"], [0.25, 0.75]).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains("Class probability", lines[0]);
        Assert.StartsWith("cat | " + new string('█', 10) + " ", lines[1]);
        Assert.StartsWith("dog | " + new string('█', 30) + " ", lines[2]);
        Assert.EndsWith(" 0.750", lines[2]);
    }

    [Fact]
    public void Sorted_lists_every_class_most_probable_first_with_percentages()
    {
        var lines = TextPictures.SortedChart(["T-shirt/top", "Trouser", "Bag"], [0.25, 0.7, 0.05], width: 20).ToList();

        Assert.Equal(
        [
            "    Trouser | ██████████████        70.00%",
            "T-shirt/top | █████                 25.00%",
            "        Bag | █                      5.00%",
        ], lines);
    }

    [Fact]
    public void Sorted_shows_fractions_of_a_cell_with_eighth_blocks() =>
        Assert.Equal("0 | ▌" + new string(' ', 12) + "5.00%", TextPictures.SortedChart(["0"], [0.05], width: 10).Single());
}
