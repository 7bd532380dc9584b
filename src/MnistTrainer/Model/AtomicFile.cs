using System.Text.RegularExpressions;

namespace MnistTrainer.Model;

/// <summary>
/// Writes a file so that its final name only ever holds a complete file: the content goes to a
/// temporary file in the same folder, is flushed to disk, and is then renamed over the target.
/// A crash or a full disk leaves the previous file untouched.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = TempFileFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Fails now, rather than at the end of a long run, if <paramref name="path"/> could not be
    /// written: creates its folder and a throw-away file there.
    /// </summary>
    public static void CheckWritable(string path)
    {
        using var probe = new FileStream(TempFileFor(Path.GetFullPath(path)), FileMode.CreateNew, FileAccess.Write,
            FileShare.None, 1, FileOptions.DeleteOnClose);
    }

    /// <summary>Why a write failed, without the name of the temporary file that .NET's messages mention.</summary>
    public static string WriteFailure(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "its folder cannot hold new files",
        _ => Regex.Replace(e.Message, @"\s*:?\s*'[^']*'\.?$", ""),
    };

    static string TempFileFor(string full)
    {
        if (Directory.Exists(full)) throw new IOException("it is a directory");
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
