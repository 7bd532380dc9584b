using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Inference;
using MnistTrainer.Samples;
using static MnistTrainer.Cli.SharedOptions;

namespace MnistTrainer.Cli;

/// <summary>The commands that write sample pictures: a test image as the network sees it, and the project's own digits.</summary>
public static class SampleCommands
{
    /// <summary><c>export-sample</c>: writes one test image as a 28×28 grayscale PNG, exactly the bytes the network sees.</summary>
    public static Command ExportSample(Terminal terminal, CancellationToken cancel)
    {
        var data = new DataOptions();
        var index = new Option<int>("--index") { HelpName = "N", Description = "Number (from 0) of the test image", Required = true };
        var output = Output("PNG file to write", "FILE.png");
        index.ParseInvariantly();
        index.Check(i => NegativeIndex([i]));

        var command = NewCommand("export-sample", "Write a test-set image as a 28×28 PNG (white on black, as in the dataset)", [.. data.All, index, output]);
        command.SetAction(parse =>
        {
            var dataset = data.GetDataset(parse)!;
            var path = parse.GetValue(output)!;
            var say = terminal.AsideFrom(data.AddTo(new FilePlan(), parse, dataset).Output(output.Name, path).Check());
            var test = data.LoadTest(dataset, parse, say, cancel);
            int n = parse.GetValue(index);
            if (n >= test.Count) throw IndexOutOfRange(n, dataset, test);
            ImageWriter.SaveGrayPng(path, NetworkInput.FromTestSet(dataset, test, n).Image);
            say.Out.WriteLine($"Wrote test image {n} ({dataset.ClassNames[test.Labels[n]]}) to {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// <c>make-samples</c> (hidden, for developers): renders the pictures in data/samples/, so that every
    /// sample the project ships is one it made itself and can make again.
    /// </summary>
    public static Command MakeSamples(Terminal terminal)
    {
        var output = Output("Folder to write the samples into (default: the checkout's data/samples)", "FOLDER", required: false);
        output.DefaultValueFactory = _ => Path.Combine(DataFolders.DefaultDataDir(), "samples");
        var command = NewCommand("make-samples", "Render the sample digit pictures of data/samples/", [output]);
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output)!;
            new FilePlan().OutputFolder(output.Name, folder).Check();
            SampleSet.WriteAll(folder);
            foreach (var sample in SampleSet.All)
                terminal.Out.WriteLine(Path.Combine(folder, sample.FileName));
            return ExitCodes.Success;
        });
        return command;
    }
}
