using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Inference;
using MnistTrainer.Model;

namespace MnistTrainer.Cli;

/// <summary><c>predict</c>: the lesson's last step, the trained network's class probabilities for an image.</summary>
public static class PredictCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var model = ModelOption.Create();
        var images = new Option<string[]>("--image")
        {
            HelpName = "FILE|FOLDER",
            Description = "Image files (PNG, JPEG, BMP, GIF: first frame, WebP) or folders of them; photos are made MNIST-like first",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var indices = new Option<int[]>("--index")
        {
            HelpName = "N",
            Description = "Numbers (from 0) of images of the test set of the model's dataset",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var raw = new Option<bool>("--raw") { Description = "Take a 28×28 image as it is: no inverting, cropping or centring" };
        var plot = PathOptions.Path("--plot", "Also draw the lesson's view_classify figure (image and class probabilities) into this PNG file", "FILE.png");
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var data = new DataOptions();

        indices.ParseInvariantly();
        indices.Check(values => values.Any(v => v < 0) ? $"--index must be 0 or more (got {values.First(v => v < 0)})." : null);

        var command = new Command("predict", "Show the network's class probabilities for images or test-set images");
        foreach (var option in new Option[] { model, images, indices, raw, plot, json })
            command.Options.Add(option);
        data.AddLocationTo(command);
        command.Validators.Add(r =>
        {
            bool hasImages = r.GetResult(images) != null, hasIndices = r.GetResult(indices) != null;
            if (hasImages == hasIndices) r.AddError("Give either --image FILE... or --index N... (one of the two).");
            if (hasIndices && r.GetResult(raw) != null) r.AddError("--raw applies to --image files only.");
        });

        command.SetAction(parse =>
        {
            var modelPath = ModelOption.Resolve(parse.GetValue(model));
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
            var dataset = ModelOption.DatasetOf(modelPath, trained);

            var inputs = parse.GetResult(images) != null
                ? ImageFolder.Expand(parse.GetValue(images)!).Select(f => NetworkInput.FromFile(f, parse.GetValue(raw))).ToList()
                : TestImages(dataset, parse.GetValue(indices)!, data, parse, chatter, cancel);
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
            if (asJson) PredictionOutput.WriteJson(terminal.Out, modelPath, dataset, classNames, results);
            else PredictionOutput.WriteText(say.Out, classNames, results);
            if (plotPath != null) chatter.Out.WriteLine($"Wrote the figure to {plotPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    static List<NetworkInput> TestImages(DatasetInfo dataset, int[] indices, DataOptions data,
        ParseResult parse, Terminal terminal, CancellationToken cancel)
    {
        var test = DatasetLoading.LoadTest(dataset, data, parse, terminal, cancel);
        foreach (int i in indices)
            if (i >= test.Count)
                throw new UsageException($"--index {i} is out of range: the {dataset.DisplayName} test set has {test.Count:N0} images (0 to {test.Count - 1:N0}).");
        return indices.Select(i => NetworkInput.FromTestSet(dataset, test, i)).ToList();
    }
}
