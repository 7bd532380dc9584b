using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Cli;

public class TerminalImageTests
{
    [Fact]
    public void Draws_each_pixel_as_two_shade_characters_inside_a_frame()
    {
        byte[] pixels = [0, 64, 128, 255];
        var lines = TerminalImage.Lines(pixels, width: 2).ToList();
        Assert.Equal(["┌────┐", "│  ░░│", "│▒▒██│", "└────┘"], lines);
    }
}
