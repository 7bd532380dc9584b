namespace MnistTrainer.Model;

/// <summary>A model file that cannot be read, is not a model of this program, or cannot be written. The message names the file.</summary>
public sealed class ModelFileException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    public string FilePath { get; } = path;
}
