using MnistTrainer.Files;

namespace MnistTrainer.Model;

/// <summary>A model (or checkpoint) file that cannot be read, is not one of this program, or cannot be written. The message names the file.</summary>
public sealed class ModelFileException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
