namespace MnistTrainer.Cli;

/// <summary>
/// Draws a grayscale image with shade characters, two per pixel so it keeps its shape in a terminal's
/// tall cells, inside a frame that shows its edges. Plain text: it reads the same in a log file.
/// </summary>
public static class TerminalImage
{
    const string Shades = " ░▒▓█";

    public static IEnumerable<string> Lines(ReadOnlyMemory<byte> pixels, int width)
    {
        int height = pixels.Length / width;
        yield return "┌" + new string('─', 2 * width) + "┐";
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Span.Slice(y * width, width);
            var line = new System.Text.StringBuilder("│", 2 * width + 2);
            foreach (byte p in row)
                line.Append(Shades[p * Shades.Length / 256], 2);
            yield return line.Append('│').ToString();
        }
        yield return "└" + new string('─', 2 * width) + "┘";
    }
}
