using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Samples;

namespace MnistTrainer.Cli;

/// <summary>
/// <c>make-samples</c> (hidden, for developers): renders the pictures in data/samples/, so that every
/// sample the project ships is one it made itself and can make again.
/// </summary>
public static class MakeSamplesCommand
{
    public static Command Create(Terminal terminal)
    {
        var output = PathOptions.Output("Folder to write the samples into (default: the checkout's data/samples)", "FOLDER", required: false);
        output.DefaultValueFactory = _ => Path.Combine(DataFolders.DefaultDataDir(), "samples");
        var command = new Command("make-samples", "Render the sample digit pictures of data/samples/") { Hidden = true };
        command.Options.Add(output);
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
