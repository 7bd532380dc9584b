namespace MnistTrainer.Files;

/// <summary>
/// "This file has this problem": a file that cannot be read or written, or whose content is not what it
/// should be. The message is one line that names the file; the command line maps every such problem to
/// exit code 3. The format readers throw their own subclasses (model, IDX, image, weights files).
/// </summary>
public class FileProblemException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    public string FilePath { get; } = path;

    /// <summary>What is wrong, without the file's name.</summary>
    public string Problem { get; } = problem;
}

/// <summary>A file that does not exist (or whose folder does not). A command may add advice on how to make it.</summary>
public sealed class MissingFileException(string path, string noun) : FileProblemException(path, $"{noun} not found")
{
    /// <summary>What kind of file was looked for: "file", "model file", "checkpoint".</summary>
    public string Noun { get; } = noun;
}

/// <summary>A file that was read, but whose content is not what it should be (cut short, altered, of another kind).</summary>
public sealed class DamagedFileException(string path, string problem, Exception? inner = null) : FileProblemException(path, problem, inner);
