using System.Globalization;
using MnistTrainer.Lesson;

namespace MnistTrainer.Cli;

/// <summary>
/// A tensor written roughly the way PyTorch prints one: four decimals (scientific notation when every
/// value shown is tiny), and for a tensor of more than 1000 values only the first and last three rows
/// and columns, with "..." in between. Numbers are invariant.
/// </summary>
public static class TensorText
{
    const int SummarizeAbove = 1000;
    const int EdgeItems = 3;

    public static string Format(TensorValues tensor)
    {
        if (tensor.Shape.Length > 2) throw new ArgumentException($"only tensors of up to 2 dimensions are written (got {tensor.Shape.Length})");
        if (tensor.Shape.Length == 0) return Numbers([tensor.Values[0]])[0];

        bool summarize = tensor.Values.Length > SummarizeAbove;
        int rows = tensor.Shape.Length == 2 ? (int)tensor.Shape[0] : 1;
        int columns = (int)tensor.Shape[^1];
        var shownColumns = Indices(columns, summarize).ToList();
        var shownRows = Indices(rows, summarize).ToList();

        // Format every value shown at once, so they share one notation and one width.
        var values = shownRows.Where(r => r >= 0)
            .SelectMany(r => shownColumns.Where(c => c >= 0).Select(c => tensor.Values[r * columns + c])).ToList();
        var texts = Numbers(values);
        int width = texts.Max(t => t.Length);
        var cells = new Queue<string>(texts.Select(t => t.PadLeft(width)));

        var lines = shownRows.Select(r => r < 0
            ? "..."
            : "[" + string.Join(", ", shownColumns.Select(c => c < 0 ? "..." : cells.Dequeue())) + "]").ToList();
        return tensor.Shape.Length == 1 ? lines[0] : "[" + string.Join("," + Environment.NewLine + " ", lines) + "]";
    }

    /// <summary>The shape as PyTorch's <c>torch.Size</c> shows it, e.g. [128, 784].</summary>
    public static string Shape(TensorValues tensor) => "[" + string.Join(", ", tensor.Shape) + "]";

    /// <summary>0 … count−1, or when summarizing the first and last <see cref="EdgeItems"/> with −1 for the gap.</summary>
    static IEnumerable<int> Indices(int count, bool summarize) =>
        !summarize || count <= 2 * EdgeItems
            ? Enumerable.Range(0, count)
            : Enumerable.Range(0, EdgeItems).Append(-1).Concat(Enumerable.Range(count - EdgeItems, EdgeItems));

    static List<string> Numbers(IReadOnlyList<float> values)
    {
        double largest = values.Count == 0 ? 0 : values.Max(v => Math.Abs((double)v));
        string format = largest > 0 && largest < 1e-2 ? "0.0000e+00" : "0.0000";
        return values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)).ToList();
    }
}
