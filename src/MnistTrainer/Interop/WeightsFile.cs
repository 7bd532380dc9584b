using MnistTrainer.Model;
using TorchSharp.Modules;

namespace MnistTrainer.Interop;

/// <summary>
/// The lesson network's weights as a PyTorch state_dict file (safetensors or torch.save's .pt): names "0.weight",
/// "0.bias", "2.weight", … so that PyTorch's <c>model.load_state_dict(...)</c> takes them unchanged, and back.
/// </summary>
public static class WeightsFile
{
    const long MaxFileBytes = 64 << 20; // the lesson's state_dict is 0.4 MB

    public static void Save(string path, Sequential network, WeightsFormat format)
    {
        var tensors = NetworkWeights.Read(network);
        Write(path, stream =>
        {
            if (format == WeightsFormat.Safetensors) SafetensorsFormat.Write(stream, tensors);
            else TorchSaveFormat.Write(stream, tensors);
        });
    }

    /// <summary>The one way an exported file (state_dict or ONNX) is written: safely, a failure naming the file.</summary>
    internal static void Write(string path, Action<Stream> write)
    {
        try
        {
            AtomicFile.Write(path, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InteropException(path, $"cannot be written ({AtomicFile.WriteFailure(e)}); any previous file there is unchanged", e);
        }
    }

    /// <summary>
    /// A new network with the weights of a state_dict file. Anything that is not exactly the lesson's state_dict
    /// (names, float32, shapes) is refused with an <see cref="InteropException"/>, and a .pt's pickle never runs code.
    /// </summary>
    public static Sequential Load(string path)
    {
        byte[] file = ReadAll(path);
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
            StateDictLayout.Check(tensors);
            return NetworkWeights.Create(tensors);
        }
        catch (InvalidDataException e)
        {
            throw new InteropException(path, e.Message, e);
        }
    }

    static byte[] ReadAll(string path)
    {
        try
        {
            if (Directory.Exists(path)) throw new InteropException(path, "is a directory, not a weights file");
            long length = new FileInfo(path).Length;
            if (length > MaxFileBytes) throw new InteropException(path, $"is {length:N0} bytes, far larger than the lesson's state_dict (about 440 KB)");
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException) { throw new InteropException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new InteropException(path, "file not found"); }
        catch (UnauthorizedAccessException e) { throw new InteropException(path, "permission denied", e); }
        catch (IOException e) { throw new InteropException(path, $"cannot be read ({e.Message})", e); }
    }
}
