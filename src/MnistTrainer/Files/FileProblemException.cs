using System.Text.RegularExpressions;

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
    public string Noun { get; } = noun;
}

/// <summary>A file that was read, but whose content is not what it should be (cut short, altered, of another kind).</summary>
public sealed class DamagedFileException(string path, string problem, Exception? inner = null) : FileProblemException(path, problem, inner);

/// <summary>The one place that turns the system's errors on reading and writing a file into the one-line messages of docs/errors.md.</summary>
public static class FileFailure
{
    /// <param name="noun">What the file should be, for "model file not found": "file", "model file", "checkpoint", ….</param>
    public static FileProblemException Reading(string path, string noun, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => new MissingFileException(path, noun),
        UnauthorizedAccessException => new FileProblemException(path, "permission denied", e),
        _ => new FileProblemException(path, $"cannot be read ({WithoutFileName(e.Message)})", e),
    };

    public static FileProblemException Writing(string path, Exception e) =>
        new(path, $"cannot be written ({WhyNotWritten(e)}); any previous file there is unchanged", e);

    internal static string WhyNotWritten(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "its folder cannot hold new files",
        _ => WithoutFileName(e.Message),
    };

    /// <summary>.NET ends many messages with the path (for a write, the temporary file's): the message names the file already.</summary>
    static string WithoutFileName(string message) => Regex.Replace(message, @"\s*:?\s*'[^']*'\.?$", "");

    public static T Reading<T>(string path, string noun, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Reading(path, noun, e); }
    }

    public static void Writing(string path, Action write)
    {
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Writing(path, e); }
    }
}
