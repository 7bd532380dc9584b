using MnistTrainer.Files;

namespace MnistTrainer.Inference;

/// <summary>An image file that is not an image this program can decode, is too large, or has nothing drawn. The message names the file.</summary>
public class ImageFileException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);
