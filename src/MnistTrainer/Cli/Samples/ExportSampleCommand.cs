using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Inference;

namespace MnistTrainer.Cli;

/// <summary><c>export-sample</c>: writes one test image as a 28×28 grayscale PNG, exactly the bytes the network sees.</summary>
public static class ExportSampleCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var data = new DataOptions();
        var index = new Option<int>("--index") { HelpName = "N", Description = "Number (from 0) of the test image", Required = true };
        var output = PathOptions.Output("PNG file to write", "FILE.png");
        index.ParseInvariantly();
        index.Check(v => v < 0 ? $"--index must be 0 or more (got {v})." : null);

        var command = new Command("export-sample", "Write a test-set image as a 28×28 PNG (white on black, as in the dataset)");
        data.AddTo(command);
        command.Options.Add(index);
        command.Options.Add(output);

        command.SetAction(parse =>
        {
            var dataset = data.GetDataset(parse);
            var path = parse.GetValue(output)!;
            var say = terminal.AsideFrom(data.AddTo(new FilePlan(), parse, dataset).Output(output.Name, path).Check());
            var test = DatasetLoading.LoadTest(dataset, data, parse, say, cancel);
            int n = parse.GetValue(index);
            if (n >= test.Count)
                throw new UsageException($"--index {n} is out of range: the {dataset.DisplayName} test set has {test.Count:N0} images (0 to {test.Count - 1:N0}).");
            ImageWriter.SaveGrayPng(path, NetworkInput.FromTestSet(dataset, test, n).Image);
            say.Out.WriteLine($"Wrote test image {n} ({dataset.ClassNames[test.Labels[n]]}) to {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
