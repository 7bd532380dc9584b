using System.CommandLine;
using System.Text.Json;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Training;
using static MnistTrainer.Cli.SharedOptions;

namespace MnistTrainer.Cli;

/// <summary>
/// <c>evaluate</c>: a trained model's loss and accuracy on a whole test set, per class and as a confusion matrix,
/// shown as a summary and two tables, or as one JSON document.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var model = ModelOption();
        var data = new DataOptions(defaultDataset: "the one the model was trained on");
        var json = Json();
        var threads = Threads();

        var command = NewCommand("evaluate", "Measure a trained model on the test set: loss, accuracy, per-class accuracy, confusion matrix",
            [model, .. data.All, json, threads]);
        command.SetAction(parse =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var modelPath = ModelPath(parse.GetValue(model));
            data.AddTo(new FilePlan(), parse, [.. DatasetInfo.All]).Input(model.Name, modelPath).Check();
            using var trained = ModelFile.Load(modelPath);
            var dataset = data.GetDataset(parse) ?? DatasetOf(modelPath, trained);
            bool asJson = parse.GetValue(json);
            var chatter = asJson ? terminal with { Out = terminal.Error } : terminal;
            if (dataset.Name != trained.Metadata.Dataset)
                ErrorReport.Warning(terminal.Error, $"the model was trained on {trained.Metadata.Dataset}, not {dataset.Name}; its class names will not fit");

            var testImages = data.LoadTest(dataset, parse, chatter, cancel);
            using var test = new ImageTensors(testImages);
            var evaluation = Evaluator.Evaluate(trained.Network, test, cancel);
            var matrix = new ConfusionMatrix(dataset.ClassCount, testImages.Labels, evaluation.Predicted);
            if (asJson) WriteJson(terminal.Out, modelPath, dataset, evaluation, matrix);
            else WriteText(terminal.Out, modelPath, dataset, evaluation, matrix);
            return ExitCodes.Success;
        });
        return command;
    }

    static void WriteText(TextWriter output, string modelPath, DatasetInfo dataset, Evaluation evaluation, ConfusionMatrix matrix)
    {
        int total = evaluation.Predicted.Length;
        int correct = Enumerable.Range(0, matrix.ClassCount).Sum(matrix.Correct);
        output.WriteLine($"Model {modelPath} on the {dataset.DisplayName} test set ({total:N0} images)");
        output.WriteLine(Language.Format("Average test loss: {0:0.0000}", evaluation.AverageLoss));
        output.WriteLine($"Accuracy: {Language.Percent(evaluation.Accuracy)} ({correct:N0} of {total:N0})");
        output.WriteLine();

        int nameWidth = Math.Max(5, dataset.ClassNames.Max(n => n.Length));
        output.WriteLine($"{"#",2}  {"class".PadRight(nameWidth)}  {"accuracy",8}  {"right",11}");
        for (int c = 0; c < matrix.ClassCount; c++)
            output.WriteLine($"{c,2}  {dataset.ClassNames[c].PadRight(nameWidth)}  {Language.Percent(matrix.Accuracy(c)),8}  {$"{matrix.Correct(c)}/{matrix.Total(c)}",11}");
        output.WriteLine();

        output.WriteLine("Confusion matrix (rows: true class, columns: predicted class)");
        output.WriteLine("    " + string.Concat(Enumerable.Range(0, matrix.ClassCount).Select(c => $"{c,6}")));
        bool namedClasses = dataset.ClassNames.Where((name, c) => name != c.ToString()).Any();
        for (int row = 0; row < matrix.ClassCount; row++)
            output.WriteLine($"{row,2}  " + string.Concat(matrix.Counts[row].Select(n => $"{n,6}")) + (namedClasses ? $"   {dataset.ClassNames[row]}" : ""));
    }

    static void WriteJson(TextWriter output, string modelPath, DatasetInfo dataset, Evaluation evaluation, ConfusionMatrix matrix)
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
}
