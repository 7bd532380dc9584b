using System.CommandLine;
using MnistTrainer.Interop;
using MnistTrainer.Model;

namespace MnistTrainer.Cli;

/// <summary><c>import</c>: turns a state_dict saved by PyTorch (.pt or .safetensors) into a model file of this program.</summary>
public static class ImportCommand
{
    public static Command Create(Terminal terminal)
    {
        var from = new Option<string>("--from")
        {
            Description = "State_dict of the lesson's network: torch.save(model.state_dict(), PATH) or a .safetensors file",
            HelpName = "FILE",
            Required = true,
        };
        var output = new Option<string>("--output", "-o") { Description = "Model file to write", HelpName = "FILE", Required = true };
        var data = new DataOptions(); // only its --dataset: it names the classes; no data is read

        var command = new Command("import", "Make a model file from weights trained in PyTorch (nothing in the file is run)");
        foreach (var option in new Option[] { from, output, data.Dataset })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var fromPath = parse.GetValue(from)!;
            var outPath = parse.GetValue(output)!;
            var dataset = data.GetDataset(parse);
            using var network = WeightsFile.Load(fromPath);
            ModelFile.Save(outPath, network, ModelMetadata.For(dataset.Name, dataset.ClassNames, training: null));
            terminal.AsideFrom(outPath).Out.WriteLine($"Imported {fromPath} as a {dataset.DisplayName} model: {outPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
