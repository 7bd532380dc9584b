using MnistTrainer.Files;

namespace MnistTrainer.Inference;

/// <summary>An image file that cannot be read, is not an image, is too large or cannot be written. The message names the file.</summary>
public sealed class ImageFileException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
