using MnistTrainer.Files;

namespace MnistTrainer.Interop;

/// <summary>
/// A weights file for or from PyTorch that cannot be read or written, or that does not hold the lesson's
/// state_dict. The message names the file.
/// </summary>
public sealed class InteropException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
