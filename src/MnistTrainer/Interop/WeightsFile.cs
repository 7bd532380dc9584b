using MnistTrainer.Files;
using TorchSharp.Modules;

namespace MnistTrainer.Interop;

/// <summary>The two files PyTorch loads a state_dict from.</summary>
public enum WeightsFormat
{
    /// <summary>safetensors: plain header and bytes; loading one runs no code.</summary>
    Safetensors,
    /// <summary>torch.save(model.state_dict(), PATH): a zip with a pickle.</summary>
    Pt,
}

/// <summary>The formats as the command line names them: "safetensors", "pt".</summary>
public static class WeightsFormats
{
    public static readonly string[] Names = [.. Enum.GetValues<WeightsFormat>().Select(NameOf)];

    public static WeightsFormat Parse(string name) => Enum.Parse<WeightsFormat>(name, ignoreCase: true);

    public static string NameOf(WeightsFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>The format a file name promises: .safetensors, or .pt / .pth; null for any other extension.</summary>
    public static WeightsFormat? FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".safetensors" => WeightsFormat.Safetensors,
        ".pt" or ".pth" => WeightsFormat.Pt,
        _ => null,
    };

    /// <summary>The format a file's first bytes show (whatever its name): a zip is a .pt; safetensors' JSON header starts at byte 8. Null if neither.</summary>
    public static WeightsFormat? Detect(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith("PK\x03\x04"u8)) return WeightsFormat.Pt;
        if (file.Length > 8 && file[8] == (byte)'{') return WeightsFormat.Safetensors;
        return null;
    }
}

/// <summary>
/// The lesson network's weights as a PyTorch state_dict file (safetensors or torch.save's .pt): names "0.weight",
/// "0.bias", "2.weight", … so that PyTorch's <c>model.load_state_dict(...)</c> takes them unchanged, and back.
/// </summary>
public static class WeightsFile
{
    const long MaxFileBytes = 64 << 20; // the lesson's state_dict is 0.4 MB

    public static void Save(string path, Sequential network, WeightsFormat format)
    {
        var tensors = StateDict.Read(network);
        OutputFile.Write(path, stream =>
        {
            if (format == WeightsFormat.Safetensors) SafetensorsFormat.Write(stream, tensors);
            else TorchSaveFormat.Write(stream, tensors);
        });
    }

    /// <summary>
    /// A new network with the weights of a state_dict file. Anything that is not exactly the lesson's state_dict
    /// (names, float32, shapes) is refused with an <see cref="InteropException"/>, and a .pt's pickle never runs code.
    /// </summary>
    public static Sequential Load(string path)
    {
        byte[] file = InputFile.ReadAll(path, "weights file", MaxFileBytes, "far larger than the lesson's state_dict (about 440 KB)");
        try
        {
            var tensors = WeightsFormats.Detect(file) switch
            {
                WeightsFormat.Pt => TorchSaveFormat.Read(file),
                WeightsFormat.Safetensors => SafetensorsFormat.Read(file),
                _ => throw new InvalidDataException(file.Length > 0 && file[0] == 0x80
                    ? "was saved in PyTorch's legacy format (before 1.6, or with _use_new_zipfile_serialization=False); save it again with torch.save(model.state_dict(), PATH) in a current PyTorch"
                    : "is neither a torch.save state_dict (.pt) nor a safetensors file"),
            };
            return StateDict.Create(tensors);
        }
        catch (InvalidDataException e)
        {
            throw new InteropException(path, e.Message, e);
        }
    }
}

/// <summary>A weights file from PyTorch that does not hold the lesson's state_dict. The message names the file.</summary>
public sealed class InteropException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
