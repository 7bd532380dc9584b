using MnistTrainer.Files;

namespace MnistTrainer.Data;

/// <summary>An IDX file that is missing, unreadable or not what its header promises. The message names the file.</summary>
public sealed class IdxFormatException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
