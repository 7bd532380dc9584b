using System.CommandLine;
using System.Text.Json;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Inference;
using MnistTrainer.Model;
using static MnistTrainer.Cli.SharedOptions;

namespace MnistTrainer.Cli;

/// <summary>
/// <c>predict</c>: the lesson's last step, the trained network's class probabilities for an image, shown as the
/// image and a bar chart per image, or as one JSON document.
/// </summary>
public static class PredictCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var model = ModelOption();
        var images = Many<string>("--image", "FILE|FOLDER", "Image files (PNG, JPEG, BMP, GIF: first frame, WebP) or folders of them; photos are made MNIST-like first");
        var indices = Many<int>("--index", "N", "Numbers (from 0) of images of the test set of the model's dataset");
        var raw = new Option<bool>("--raw") { Description = "Take a 28×28 image as it is: no inverting, cropping or centring" };
        var plot = PathOption("--plot", "Also draw the lesson's view_classify figure (image and class probabilities) into this PNG file", "FILE.png");
        var json = Json();
        var data = new DataOptions();
        indices.ParseInvariantly();
        indices.Check(NegativeIndex);

        var command = NewCommand("predict", "Show the network's class probabilities for images or test-set images",
            [model, images, indices, raw, plot, json, .. data.Location]);
        command.Validators.Add(r =>
        {
            bool hasImages = r.GetResult(images) != null, hasIndices = r.GetResult(indices) != null;
            if (hasImages == hasIndices) r.AddError("Give either --image FILE... or --index N... (one of the two).");
            if (hasIndices && r.GetResult(raw) != null) r.AddError("--raw applies to --image files only.");
        });

        command.SetAction(parse =>
        {
            var modelPath = ModelPath(parse.GetValue(model));
            var plotPath = parse.GetValue(plot);
            var plan = data.AddTo(new FilePlan(), parse, [.. DatasetInfo.All])
                .Input(model.Name, modelPath)
                .Inputs(images.Name, parse.GetValue(images) ?? [])
                .Output(plot.Name, plotPath)
                .Check();
            bool asJson = parse.GetValue(json);
            if (asJson && plan.WritesStandardOutput)
                throw new UsageException($"--json and {plot.Name} both write to standard output: give {plot.Name} a file.");
            // With --json only JSON goes to standard output, with --plot - only the picture; what would be said goes to standard error.
            var say = terminal.AsideFrom(plan);
            var chatter = asJson ? terminal with { Out = terminal.Error } : say;
            using var trained = ModelFile.Load(modelPath);
            var dataset = DatasetOf(modelPath, trained);

            List<NetworkInput> inputs;
            if (parse.GetResult(images) != null)
                inputs = [.. ImageFolder.Expand(parse.GetValue(images)!).Select(f => NetworkInput.FromFile(f, parse.GetValue(raw)))];
            else
            {
                var test = data.LoadTest(dataset, parse, chatter, cancel);
                var outside = parse.GetValue(indices)!.FirstOrDefault(i => i >= test.Count, -1);
                if (outside >= 0) throw IndexOutOfRange(outside, dataset, test);
                inputs = [.. parse.GetValue(indices)!.Select(i => NetworkInput.FromTestSet(dataset, test, i))];
            }
            if (plotPath != null && inputs.Count != 1)
                throw new UsageException($"--plot draws one image, but {inputs.Count} were given.");

            var predictor = new Predictor(trained.Network);
            var results = inputs.Select(i =>
            {
                cancel.ThrowIfCancellationRequested(); // a folder of thousands of pictures stops at once on Ctrl+C
                return (Input: i, Prediction: predictor.Predict(i.Pixels));
            }).ToList();
            var classNames = trained.Metadata.ClassNames;

            if (plotPath != null)
            {
                using var figure = ClassifyPlot.Draw(results[0].Input.Image, results[0].Prediction.Probabilities, classNames);
                ImageWriter.Save(plotPath, figure);
            }
            if (asJson) WriteJson(terminal.Out, modelPath, dataset, classNames, results);
            else WriteText(say.Out, classNames, results);
            if (plotPath != null) chatter.Out.WriteLine($"Wrote the figure to {plotPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    static void WriteText(TextWriter output, IReadOnlyList<string> classNames, IReadOnlyList<(NetworkInput Input, Prediction Prediction)> results)
    {
        for (int i = 0; i < results.Count; i++)
        {
            var (input, prediction) = results[i];
            if (i > 0) output.WriteLine();
            string label = input.Label is int l ? $", labelled {classNames[l]}" : "";
            string seen = input.Preprocessed ? " (made MNIST-like: light on dark, fitted into 20×20, centred by mass)" : "";
            output.WriteLine($"{input.Source}{label}{seen}");
            foreach (var line in TextPictures.Image(input.Pixels, DatasetInfo.ImageSide))
                output.WriteLine(line);
            string verdict = input.Label is int expected ? (expected == prediction.PredictedClass ? "  correct" : "  wrong") : "";
            output.WriteLine($"Predicted: {classNames[prediction.PredictedClass]} ({Language.Percent(prediction.Confidence)}){verdict}");
            foreach (var line in TextPictures.SortedChart(classNames, prediction.Probabilities))
                output.WriteLine(line);
        }
    }

    static void WriteJson(TextWriter output, string modelPath, DatasetInfo dataset, IReadOnlyList<string> classNames,
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
}
