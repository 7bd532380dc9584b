using System.Text.RegularExpressions;

namespace MnistTrainer.Files;

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

    /// <summary>Runs a read of <paramref name="path"/>, turning the system's errors into a <see cref="FileProblemException"/>.</summary>
    public static T Reading<T>(string path, string noun, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Reading(path, noun, e); }
    }

    /// <summary>Runs a write of <paramref name="path"/>, turning the system's errors into a <see cref="FileProblemException"/>.</summary>
    public static void Writing(string path, Action write)
    {
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Writing(path, e); }
    }
}
