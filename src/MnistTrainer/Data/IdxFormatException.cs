using MnistTrainer.Files;

namespace MnistTrainer.Data;

/// <summary>An IDX file that is not what its header promises, or not a dataset this network takes. The message names the file.</summary>
public sealed class IdxFormatException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
