using System.Globalization;
using System.Text.Json;
using MnistTrainer.Files;
using MnistTrainer.Data;
using MnistTrainer.Inference;

namespace MnistTrainer.Cli;

/// <summary>How <c>predict</c> shows its results: the image and a bar chart per image, or one JSON document.</summary>
public static class PredictionOutput
{

    public static void WriteText(TextWriter output, IReadOnlyList<string> classNames, IReadOnlyList<(NetworkInput Input, Prediction Prediction)> results)
    {
        for (int i = 0; i < results.Count; i++)
        {
            var (input, prediction) = results[i];
            if (i > 0) output.WriteLine();
            string label = input.Label is int l ? $", labelled {classNames[l]}" : "";
            string seen = input.Preprocessed ? " (made MNIST-like: light on dark, fitted into 20×20, centred by mass)" : "";
            output.WriteLine($"{input.Source}{label}{seen}");
            foreach (var line in TerminalImage.Lines(input.Pixels, DatasetInfo.ImageSide))
                output.WriteLine(line);
            string verdict = input.Label is int expected ? (expected == prediction.PredictedClass ? "  correct" : "  wrong") : "";
            output.WriteLine($"Predicted: {classNames[prediction.PredictedClass]} ({Percent(prediction.Confidence)}){verdict}");
            foreach (var line in ProbabilityChart.Sorted(classNames, prediction.Probabilities))
                output.WriteLine(line);
        }
    }

    public static void WriteJson(TextWriter output, string modelPath, DatasetInfo dataset, IReadOnlyList<string> classNames,
        IReadOnlyList<(NetworkInput Input, Prediction Prediction)> results)
    {
        var document = new
        {
            Model = modelPath,
            Dataset = dataset.Name,
            ClassNames = classNames,
            Results = results.Select(r => PredictionReport.Of(r.Input, r.Prediction, classNames)),
        };
        output.WriteLine(JsonSerializer.Serialize(document, JsonPolicy.Indented));
    }

    internal static string Percent(double p) => (p * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
