using MnistTrainer.Files;

namespace MnistTrainer.Model;

/// <summary>A model file or checkpoint whose content does not fit this program's network or run (reading and writing problems are <see cref="FileProblemException"/>s of the IO layer).</summary>
public sealed class ModelFileException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
