using System.CommandLine;
using MnistTrainer.Files;
using MnistTrainer.Interop;
using MnistTrainer.Model;
using static MnistTrainer.Cli.SharedOptions;

namespace MnistTrainer.Cli;

/// <summary><c>export</c> and <c>import</c>: a model to and from the lesson's PyTorch network, and out as an ONNX graph.</summary>
public static class InteropCommands
{
    /// <summary>
    /// <c>export</c>: writes a model's weights as a state_dict that the lesson's PyTorch network loads unchanged,
    /// or the whole network as an ONNX graph that ONNX Runtime runs without libtorch.
    /// </summary>
    public static Command Export(Terminal terminal)
    {
        var model = ModelOption("Model file to export (from train or import)");
        var output = Output("File to write, e.g. model.safetensors, model.pt or model.onnx");
        var format = new Option<string?>("--format")
        {
            Description = "safetensors (loading it runs no code), pt (torch.save's zip + pickle) or onnx (the whole network, for ONNX Runtime); " +
                "default: from --output's extension, else safetensors",
        };
        format.AcceptOnlyFromAmong([.. WeightsFormats.Names, OnnxFormat.Name]);
        var onnxInput = new Option<string?>("--onnx-input")
        {
            Description = "What the ONNX graph's \"pixels\" input takes: normalized (floats in [-1, 1], as (x/255-0.5)/0.5) " +
                "or raw (pixel values 0-255 as floats, normalized inside the graph); default: normalized",
        };
        onnxInput.AcceptOnlyFromAmong([.. OnnxFormat.InputNames]);

        var command = NewCommand("export", "Write a model for other programs: its weights for PyTorch (load_state_dict takes them unchanged), or an ONNX graph",
            [model, output, format, onnxInput]);
        command.SetAction(parse =>
        {
            var modelPath = ModelPath(parse.GetValue(model));
            var outPath = parse.GetValue(output)!;
            var chosen = ChooseFormat(parse.GetValue(format), outPath);
            var inputName = parse.GetValue(onnxInput);
            if (inputName != null && chosen != OnnxFormat.Name)
                throw new UsageException($"--onnx-input applies to --format onnx only (this export is {chosen}).");
            var say = terminal.AsideFrom(new FilePlan().Input(model.Name, modelPath).Output(output.Name, outPath).Check()).Out;
            using var trained = ModelFile.Load(modelPath);
            string howToLoad;
            if (chosen == OnnxFormat.Name)
            {
                var input = OnnxFormat.ParseInput(inputName ?? OnnxFormat.NameOf(OnnxInput.Normalized));
                OnnxFormat.Save(outPath, trained.Network, trained.Metadata, input);
                var pixels = input == OnnxInput.Raw ? "pixel values 0-255" : "normalized as (x/255-0.5)/0.5";
                howToLoad = $"In ONNX Runtime: input \"{OnnxFormat.InputName}\" float32 [N, 784], {pixels}; output \"{OnnxFormat.OutputName}\" [N, 10]";
            }
            else
            {
                var weightsFormat = WeightsFormats.Parse(chosen);
                WeightsFile.Save(outPath, trained.Network, weightsFormat);
                howToLoad = weightsFormat == WeightsFormat.Safetensors
                    ? $"In PyTorch: model.load_state_dict(safetensors.torch.load_file(\"{outPath}\"))"
                    : $"In PyTorch: model.load_state_dict(torch.load(\"{outPath}\", weights_only=True))";
            }
            say.WriteLine($"Exported {modelPath} ({trained.Metadata.Dataset}) to {outPath} as {chosen}");
            say.WriteLine(howToLoad);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--format if given (it must not contradict a .safetensors/.pt/.onnx extension), else the extension, else safetensors.</summary>
    static string ChooseFormat(string? formatName, string outPath)
    {
        var byExtension = Path.GetExtension(outPath).Equals(".onnx", StringComparison.OrdinalIgnoreCase)
            ? OnnxFormat.Name
            : WeightsFormats.FromExtension(outPath) is { } weights ? WeightsFormats.NameOf(weights) : null;
        if (formatName == null) return byExtension ?? WeightsFormats.NameOf(WeightsFormat.Safetensors);
        var chosen = formatName.ToLowerInvariant();
        if (byExtension != null && byExtension != chosen)
            throw new UsageException($"--format {formatName} does not match the extension of {outPath}; change one of them.");
        return chosen;
    }

    /// <summary><c>import</c>: turns a state_dict saved by PyTorch (.pt or .safetensors) into a model file of this program.</summary>
    public static Command Import(Terminal terminal)
    {
        var from = SharedOptions.PathOption("--from", "State_dict of the lesson's network: torch.save(model.state_dict(), PATH) or a .safetensors file");
        from.Required = true;
        var output = Output("Model file to write");
        var data = new DataOptions(); // only its --dataset: it names the classes; no data is read

        var command = NewCommand("import", "Make a model file from weights trained in PyTorch (nothing in the file is run)", [from, output, data.Dataset]);
        command.SetAction(parse =>
        {
            var fromPath = parse.GetValue(from)!;
            var outPath = parse.GetValue(output)!;
            var dataset = data.GetDataset(parse)!;
            var say = terminal.AsideFrom(new FilePlan().Input(from.Name, fromPath).Output(output.Name, outPath).Check());
            using var network = WeightsFile.Load(fromPath);
            ModelFile.Save(outPath, network, ModelMetadata.For(dataset.Name, dataset.ClassNames, training: null));
            say.Out.WriteLine($"Imported {fromPath} as a {dataset.DisplayName} model: {outPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
