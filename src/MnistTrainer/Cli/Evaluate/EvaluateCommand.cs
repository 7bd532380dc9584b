using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Training;

namespace MnistTrainer.Cli;

/// <summary><c>evaluate</c>: a trained model's loss and accuracy on a whole test set, per class and as a confusion matrix.</summary>
public static class EvaluateCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var model = ModelOption.Create();
        var data = DataOptions.DefaultingToModel();
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var threads = ThreadOptions.Create();

        var command = new Command("evaluate", "Measure a trained model on the test set: loss, accuracy, per-class accuracy, confusion matrix");
        command.Options.Add(model);
        data.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(threads);

        command.SetAction(parse =>
        {
            ThreadOptions.Apply(parse.GetValue(threads));
            var modelPath = ModelOption.Resolve(parse.GetValue(model));
            data.AddTo(new FilePlan(), parse, [.. DatasetInfo.All]).Input(model.Name, modelPath).Check();
            using var trained = ModelFile.Load(modelPath);
            var dataset = parse.GetValue(data.Dataset) != null ? data.GetDataset(parse) : ModelOption.DatasetOf(modelPath, trained);
            bool asJson = parse.GetValue(json);
            var chatter = asJson ? terminal with { Out = terminal.Error } : terminal;
            if (dataset.Name != trained.Metadata.Dataset)
                terminal.Error.WriteLine($"warning: the model was trained on {trained.Metadata.Dataset}, not {dataset.Name}; its class names will not fit");

            var testImages = DatasetLoading.LoadTest(dataset, data, parse, chatter, cancel);
            using var test = new ImageTensors(testImages);
            var evaluation = Evaluator.Evaluate(trained.Network, test, cancel);
            var matrix = new ConfusionMatrix(dataset.ClassCount, testImages.Labels, evaluation.Predicted);
            if (asJson) EvaluationOutput.WriteJson(terminal.Out, modelPath, dataset, evaluation, matrix);
            else EvaluationOutput.WriteText(terminal.Out, modelPath, dataset, evaluation, matrix);
            return ExitCodes.Success;
        });
        return command;
    }
}
