using System.Globalization;

namespace MnistTrainer.Cli;

/// <summary>
/// The lesson's <c>view_classify</c> bar chart in text: one horizontal bar per class, as long as its
/// probability, with the probability after it. Self-contained; may be merged with <c>predict</c>'s chart later.
/// </summary>
public static class ProbabilityChart
{
    const int Width = 40;
    static readonly string[] Eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

    public static IEnumerable<string> Lines(string title, IReadOnlyList<string> classNames, IReadOnlyList<float> probabilities)
    {
        int labelWidth = classNames.Max(n => n.Length);
        yield return new string(' ', labelWidth + 3) + title;
        for (int i = 0; i < probabilities.Count; i++)
        {
            string bar = Bar(probabilities[i]);
            yield return $"{classNames[i].PadLeft(labelWidth)} | {bar.PadRight(Width)} {probabilities[i].ToString("0.000", CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>A bar of full blocks and a last partial block, in eighths of a character.</summary>
    static string Bar(float probability)
    {
        int eighths = (int)Math.Round(Math.Clamp(probability, 0, 1) * Width * 8);
        return new string('█', eighths / 8) + Eighths[eighths % 8];
    }
}
