using System.CommandLine;
using MnistTrainer.Files;
using MnistTrainer.Interop;
using MnistTrainer.Model;

namespace MnistTrainer.Cli;

/// <summary><c>import</c>: turns a state_dict saved by PyTorch (.pt or .safetensors) into a model file of this program.</summary>
public static class ImportCommand
{
    public static Command Create(Terminal terminal)
    {
        var from = PathOptions.Path("--from", "State_dict of the lesson's network: torch.save(model.state_dict(), PATH) or a .safetensors file");
        from.Required = true;
        var output = PathOptions.Output("Model file to write");
        var data = new DataOptions(); // only its --dataset: it names the classes; no data is read

        var command = new Command("import", "Make a model file from weights trained in PyTorch (nothing in the file is run)");
        foreach (var option in new Option[] { from, output, data.Dataset })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var fromPath = parse.GetValue(from)!;
            var outPath = parse.GetValue(output)!;
            var dataset = data.GetDataset(parse);
            var say = terminal.AsideFrom(new FilePlan().Input(from.Name, fromPath).Output(output.Name, outPath).Check());
            using var network = WeightsFile.Load(fromPath);
            ModelFile.Save(outPath, network, ModelMetadata.For(dataset.Name, dataset.ClassNames, training: null));
            say.Out.WriteLine($"Imported {fromPath} as a {dataset.DisplayName} model: {outPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
