using MnistTrainer.Files;

namespace MnistTrainer.Interop;

/// <summary>
/// A weights file for or from PyTorch that does not hold the lesson's state_dict (or cannot be written in its
/// format). The message names the file.
/// </summary>
public sealed class InteropException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
