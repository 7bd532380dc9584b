namespace MnistTrainer.Files;

/// <summary>
/// A new version of a regular file, written to a temporary file beside it (see <see cref="TempFiles"/>) and renamed
/// over it by <see cref="Commit"/> once complete: the final name only ever holds a whole file. Disposed without a
/// commit, the temporary file is deleted and the old file is untouched.
/// </summary>
public sealed class FileReplacement : IDisposable
{
    readonly string target;
    readonly string temp;
    bool committed;

    /// <param name="target">The full path of the file to replace or create (not a link: <see cref="OutputFile"/> resolves those).</param>
    public FileReplacement(string target)
    {
        this.target = target;
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        TempFiles.RemoveStale(folder);
        temp = TempFiles.NameFor(target);
        Stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public FileStream Stream { get; }

    /// <summary>Puts the new content under the target's name: flushed to disk, with the old file's permissions, then renamed, then the folder synced.</summary>
    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        if (!OperatingSystem.IsWindows() && File.Exists(target))
            File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
        File.Move(temp, target, overwrite: true);
        committed = true;
        Libc.SyncFolder(Path.GetDirectoryName(target)!);
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!committed) TempFiles.TryDelete(temp);
    }
}
