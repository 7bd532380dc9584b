namespace MnistTrainer.Interop;

/// <summary>The two files PyTorch loads a state_dict from.</summary>
public enum WeightsFormat
{
    /// <summary>safetensors: plain header and bytes; loading one runs no code.</summary>
    Safetensors,
    /// <summary>torch.save(model.state_dict(), PATH): a zip with a pickle.</summary>
    Pt,
}

public static class WeightsFormats
{
    public static readonly string[] Names = ["safetensors", "pt"];

    public static WeightsFormat Parse(string name) => name.ToLowerInvariant() switch
    {
        "safetensors" => WeightsFormat.Safetensors,
        "pt" => WeightsFormat.Pt,
        _ => throw new ArgumentException($"unknown weights format {name}"),
    };

    public static string NameOf(WeightsFormat format) => Names[(int)format];

    /// <summary>The format a file name promises: .safetensors, or .pt / .pth; null for any other extension.</summary>
    public static WeightsFormat? FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".safetensors" => WeightsFormat.Safetensors,
        ".pt" or ".pth" => WeightsFormat.Pt,
        _ => null,
    };

    /// <summary>The format a file's first bytes show (whatever its name); null if it is neither.</summary>
    public static WeightsFormat? Detect(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith("PK\x03\x04"u8)) return WeightsFormat.Pt;
        if (file.Length > 8 && file[8] == (byte)'{') return WeightsFormat.Safetensors;
        return null;
    }
}
