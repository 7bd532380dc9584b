using MnistTrainer.Data;

namespace MnistTrainer.Cli;

/// <summary>
/// A 28×28 grayscale image drawn with characters, darker to brighter: 28 columns by 14 lines (each
/// character covers two pixel rows, since a character is about twice as tall as it is wide).
/// </summary>
public static class ImageSketch
{
    const string Ramp = " .:-=+*#%@";

    public static IEnumerable<string> Lines(ReadOnlySpan<byte> pixels)
    {
        var lines = new List<string>();
        int side = DatasetInfo.ImageSide;
        for (int row = 0; row < side; row += 2)
        {
            var line = new char[side];
            for (int column = 0; column < side; column++)
            {
                int brightness = (pixels[row * side + column] + pixels[(row + 1) * side + column]) / 2;
                line[column] = Ramp[brightness * Ramp.Length / 256];
            }
            lines.Add(new string(line).TrimEnd());
        }
        return lines;
    }
}
