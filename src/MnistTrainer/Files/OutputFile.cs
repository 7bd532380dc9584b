namespace MnistTrainer.Files;

/// <summary>
/// Writes the files commands produce (models, checkpoints, exported weights, pictures), by the rules of
/// docs/errors.md: a regular file (or a new path) is replaced atomically through a <see cref="FileReplacement"/>;
/// a symbolic link is followed and its final target replaced, so the link stays a link; a character device or a
/// named pipe (<c>/dev/null</c>, <c>/dev/stdout</c>, a FIFO) is written as a stream; anything else is refused untouched.
/// Every failure is a <see cref="FileProblemException"/> that names the file.
/// </summary>
public static class OutputFile
{
    public static void Write(string path, Action<Stream> write) => FileFailure.Writing(path, () =>
    {
        var (target, kind) = Resolve(path);
        if (IsStream(kind))
        {
            // No FileShare.None: on Unix that takes a lock, and /dev/null is shared with every other process.
            using var stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            write(stream);
            return;
        }
        using var replacement = new FileReplacement(target);
        write(replacement.Stream);
        replacement.Commit();
    });

    /// <summary>
    /// Fails now, rather than at the end of a long run, if <paramref name="path"/> could not be written: creates its
    /// folder and a throw-away temporary file there. A device or named pipe is not opened (a FIFO would wait for a reader).
    /// </summary>
    public static void CheckWritable(string path) => FileFailure.Writing(path, () =>
    {
        var (target, kind) = Resolve(path);
        if (IsStream(kind)) return;
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        TempFiles.RemoveStale(folder);
        using var probe = new FileStream(TempFiles.NameFor(target), FileMode.CreateNew, FileAccess.Write,
            FileShare.None, 1, FileOptions.DeleteOnClose);
    });

    static bool IsStream(FileKind kind) => kind is FileKind.CharacterDevice or FileKind.NamedPipe;

    /// <summary>Where to write and what is there now: the final target of a symbolic link, or the path itself.</summary>
    static (string Target, FileKind Kind) Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var kind = FileKinds.Of(full);
        if (kind is not (FileKind.RegularFile or FileKind.Missing or FileKind.CharacterDevice or FileKind.NamedPipe))
            throw new IOException($"it is {FileKinds.Describe(kind)}");
        // A stream is opened through its links (/dev/stdout is a link into /proc); a file is replaced where the links end.
        if (IsStream(kind) || FileKinds.Of(full, followLinks: false) != FileKind.SymbolicLink) return (full, kind);
        return (File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full, kind);
    }
}
