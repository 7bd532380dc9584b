using System.Globalization;
using System.Text.Json;
using MnistTrainer.Files;
using MnistTrainer.Data;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary>How <c>evaluate</c> shows its results: a summary, a per-class table and the confusion matrix, or one JSON document.</summary>
public static class EvaluationOutput
{
    public static void WriteText(TextWriter output, string modelPath, DatasetInfo dataset, Evaluation evaluation, ConfusionMatrix matrix)
    {
        int total = evaluation.Predicted.Length;
        int correct = Enumerable.Range(0, matrix.ClassCount).Sum(matrix.Correct);
        output.WriteLine($"Model {modelPath} on the {dataset.DisplayName} test set ({total:N0} images)");
        output.WriteLine($"Average test loss: {evaluation.AverageLoss.ToString("0.0000", CultureInfo.InvariantCulture)}");
        output.WriteLine($"Accuracy: {Percent(evaluation.Accuracy)} ({correct:N0} of {total:N0})");
        output.WriteLine();

        int nameWidth = Math.Max(5, dataset.ClassNames.Max(n => n.Length));
        output.WriteLine($"{"#",2}  {"class".PadRight(nameWidth)}  {"accuracy",8}  {"right",11}");
        for (int c = 0; c < matrix.ClassCount; c++)
            output.WriteLine($"{c,2}  {dataset.ClassNames[c].PadRight(nameWidth)}  {Percent(matrix.Accuracy(c)),8}  {$"{matrix.Correct(c)}/{matrix.Total(c)}",11}");
        output.WriteLine();

        output.WriteLine("Confusion matrix (rows: true class, columns: predicted class)");
        output.WriteLine("    " + string.Concat(Enumerable.Range(0, matrix.ClassCount).Select(c => $"{c,6}")));
        bool namedClasses = dataset.ClassNames.Where((name, c) => name != c.ToString()).Any();
        for (int row = 0; row < matrix.ClassCount; row++)
            output.WriteLine($"{row,2}  " + string.Concat(matrix.Counts[row].Select(n => $"{n,6}")) + (namedClasses ? $"   {dataset.ClassNames[row]}" : ""));
    }

    public static void WriteJson(TextWriter output, string modelPath, DatasetInfo dataset, Evaluation evaluation, ConfusionMatrix matrix)
    {
        var document = new
        {
            Model = modelPath,
            Dataset = dataset.Name,
            Images = evaluation.Predicted.Length,
            evaluation.AverageLoss,
            evaluation.Accuracy,
            PerClass = Enumerable.Range(0, matrix.ClassCount).Select(c => new
            {
                Class = c,
                Name = dataset.ClassNames[c],
                Correct = matrix.Correct(c),
                Total = matrix.Total(c),
                Accuracy = matrix.Total(c) == 0 ? (double?)null : matrix.Accuracy(c),
            }),
            ConfusionMatrix = matrix.Counts,
        };
        output.WriteLine(JsonSerializer.Serialize(document, JsonPolicy.Indented));
    }

    static string Percent(double p) => double.IsNaN(p) ? "-" : (p * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
