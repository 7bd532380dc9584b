using System.CommandLine;
using MnistTrainer.Interop;
using MnistTrainer.Model;

namespace MnistTrainer.Cli;

/// <summary><c>export</c>: writes a model's weights as a state_dict that the lesson's PyTorch network loads unchanged.</summary>
public static class ExportCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = ModelOption.Create("Model file to export (from train or import)");
        var output = new Option<string>("--output", "-o") { Description = "File to write, e.g. model.safetensors or model.pt", HelpName = "FILE", Required = true };
        var format = new Option<string?>("--format")
        {
            Description = "safetensors (loading it runs no code) or pt (torch.save's zip + pickle); default: from --output's extension, else safetensors",
        };
        format.AcceptOnlyFromAmong(WeightsFormats.Names);

        var command = new Command("export", "Write a model's weights for PyTorch: model.load_state_dict(...) takes them unchanged");
        foreach (var option in new Option[] { model, output, format })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var modelPath = ModelOption.Resolve(parse.GetValue(model));
            var outPath = parse.GetValue(output)!;
            var chosen = ChooseFormat(parse.GetValue(format), outPath);
            using var trained = ModelFile.Load(modelPath);
            WeightsFile.Save(outPath, trained.Network, chosen);
            var say = terminal.AsideFrom(outPath).Out;
            say.WriteLine($"Exported {modelPath} ({trained.Metadata.Dataset}) to {outPath} as {WeightsFormats.NameOf(chosen)}");
            say.WriteLine(chosen == WeightsFormat.Safetensors
                ? $"In PyTorch: model.load_state_dict(safetensors.torch.load_file(\"{outPath}\"))"
                : $"In PyTorch: model.load_state_dict(torch.load(\"{outPath}\", weights_only=True))");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--format if given (it must not contradict a .safetensors/.pt extension), else the extension, else safetensors.</summary>
    static WeightsFormat ChooseFormat(string? formatName, string outPath)
    {
        var byExtension = WeightsFormats.FromExtension(outPath);
        if (formatName == null) return byExtension ?? WeightsFormat.Safetensors;
        var chosen = WeightsFormats.Parse(formatName);
        if (byExtension != null && byExtension != chosen)
            throw new UsageException($"--format {formatName} does not match the extension of {outPath}; change one of them.");
        return chosen;
    }
}
