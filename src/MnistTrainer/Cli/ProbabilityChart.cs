using System.Globalization;

namespace MnistTrainer.Cli;

/// <summary>
/// The lesson's <c>view_classify</c> bar chart in text: one horizontal bar per class, as long as its
/// probability. <see cref="Lines"/> keeps the classes in order under a title (the lesson command);
/// <see cref="Sorted"/> puts the most probable first, with percentages (predict).
/// </summary>
public static class ProbabilityChart
{
    const int Width = 40;
    static readonly string[] Eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

    public static IEnumerable<string> Lines(string title, IReadOnlyList<string> classNames, IReadOnlyList<double> probabilities)
    {
        int labelWidth = classNames.Max(n => n.Length);
        yield return new string(' ', labelWidth + 3) + title;
        for (int i = 0; i < probabilities.Count; i++)
        {
            string bar = Bar(probabilities[i], Width);
            yield return $"{classNames[i].PadLeft(labelWidth)} | {bar.PadRight(Width)} {probabilities[i].ToString("0.000", CultureInfo.InvariantCulture)}";
        }
    }

    public static IEnumerable<string> Sorted(IReadOnlyList<string> classNames, IReadOnlyList<double> probabilities, int width = Width)
    {
        int labelWidth = classNames.Max(n => n.Length);
        foreach (int c in Enumerable.Range(0, probabilities.Count).OrderByDescending(c => probabilities[c]))
        {
            string percent = (probabilities[c] * 100).ToString("0.00", CultureInfo.InvariantCulture);
            yield return $"{classNames[c].PadLeft(labelWidth)} | {Bar(probabilities[c], width).PadRight(width)} {percent,6}%";
        }
    }

    /// <summary>A bar of full blocks and a last partial block, in eighths of a character.</summary>
    static string Bar(double probability, int width)
    {
        int eighths = (int)Math.Round(Math.Clamp(probability, 0, 1) * width * 8);
        return new string('█', eighths / 8) + Eighths[eighths % 8];
    }
}
