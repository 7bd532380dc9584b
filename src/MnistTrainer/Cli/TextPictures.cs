using System.Text;

namespace MnistTrainer.Cli;

/// <summary>
/// Pictures drawn with characters, plain text that reads the same in a log file: an image, and the lesson's
/// <c>view_classify</c> bar chart (one horizontal bar per class, as long as its probability).
/// </summary>
public static class TextPictures
{
    const string Shades = " ░▒▓█";
    const int BarWidth = 40;
    static readonly string[] Eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

    /// <summary>A grayscale image with shade characters, two per pixel so it keeps its shape in a terminal's tall cells, in a frame that shows its edges.</summary>
    public static IEnumerable<string> Image(ReadOnlyMemory<byte> pixels, int width)
    {
        int height = pixels.Length / width;
        yield return "┌" + new string('─', 2 * width) + "┐";
        for (int y = 0; y < height; y++)
        {
            var line = new StringBuilder("│", 2 * width + 2);
            foreach (byte p in pixels.Span.Slice(y * width, width))
                line.Append(Shades[p * Shades.Length / 256], 2);
            yield return line.Append('│').ToString();
        }
        yield return "└" + new string('─', 2 * width) + "┘";
    }

    /// <summary>The classes in order under a title, each with its probability (the lesson command).</summary>
    public static IEnumerable<string> Chart(string title, IReadOnlyList<string> classNames, IReadOnlyList<double> probabilities)
    {
        int labelWidth = classNames.Max(n => n.Length);
        yield return new string(' ', labelWidth + 3) + title;
        for (int i = 0; i < probabilities.Count; i++)
            yield return $"{classNames[i].PadLeft(labelWidth)} | {Bar(probabilities[i], BarWidth).PadRight(BarWidth)} {Language.Format("{0:0.000}", probabilities[i])}";
    }

    /// <summary>The most probable class first, with percentages (predict).</summary>
    public static IEnumerable<string> SortedChart(IReadOnlyList<string> classNames, IReadOnlyList<double> probabilities, int width = BarWidth)
    {
        int labelWidth = classNames.Max(n => n.Length);
        foreach (int c in Enumerable.Range(0, probabilities.Count).OrderByDescending(c => probabilities[c]))
            yield return $"{classNames[c].PadLeft(labelWidth)} | {Bar(probabilities[c], width).PadRight(width)} {Language.Percent(probabilities[c]),7}";
    }

    /// <summary>A bar of full blocks and a last partial block, in eighths of a character.</summary>
    static string Bar(double probability, int width)
    {
        int eighths = (int)Math.Round(Math.Clamp(probability, 0, 1) * width * 8);
        return new string('█', eighths / 8) + Eighths[eighths % 8];
    }
}
