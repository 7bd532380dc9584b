using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace MnistTrainer.Files;

/// <summary>
/// Writes the files commands produce (models, checkpoints, exported weights, pictures), by the rules of
/// docs/errors.md: a regular file (or a new path) is replaced atomically through a <see cref="FileReplacement"/>;
/// a symbolic link is followed and its final target replaced, so the link stays a link; a character device or a
/// named pipe (<c>/dev/null</c>, a FIFO) or an open descriptor (<c>/dev/stdout</c>) is written as a stream; anything
/// else is refused untouched.
/// Every failure is a <see cref="FileProblemException"/> that names the file.
/// </summary>
public static partial class OutputFile
{
    public static void Write(string path, Action<Stream> write) => FileFailure.Writing(path, () =>
    {
        if (OpenDescriptor(path) is { } descriptor)
        {
            if (FileKinds.Of(path) == FileKind.Missing) throw new IOException($"descriptor {descriptor} is not open");
            using var open = new FileStream(new SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, 1 << 16);
            write(open);
            return;
        }
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
        if (OpenDescriptor(path) != null) return;
        var (target, kind) = Resolve(path);
        if (IsStream(kind)) return;
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        TempFiles.RemoveStale(folder);
        using var probe = new FileStream(TempFiles.NameFor(target), FileMode.CreateNew, FileAccess.Write,
            FileShare.None, 1, FileOptions.DeleteOnClose);
    });

    /// <summary>Whether <paramref name="path"/> is written as a stream rather than replaced: a device, a named pipe, an open descriptor.</summary>
    public static bool IsStream(string path) => OpenDescriptor(path) != null || IsStream(FileKinds.Of(path));

    static bool IsStream(FileKind kind) => kind is FileKind.CharacterDevice or FileKind.NamedPipe;

    /// <summary>
    /// <c>/dev/stdout</c>, <c>/dev/stderr</c>, <c>/dev/fd/N</c>, <c>/proc/self/fd/N</c> name a descriptor this process
    /// has open: written where it stands, so that <c>-o /dev/stdout &gt;&gt; file</c> appends instead of replacing the file.
    /// </summary>
    static int? OpenDescriptor(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var match = DescriptorPath().Match(Path.GetFullPath(path));
        if (!match.Success) return null;
        return match.Groups["name"].Value switch { "stdout" => 1, "stderr" => 2, _ => int.Parse(match.Groups["fd"].Value) };
    }

    [GeneratedRegex(@"^/(?:dev/(?<name>stdout|stderr)|dev/fd/(?<fd>\d{1,9})|proc/self/fd/(?<fd>\d{1,9}))$")]
    private static partial Regex DescriptorPath();

    /// <summary>Where to write and what is there now: the final target of a symbolic link, or the path itself.</summary>
    static (string Target, FileKind Kind) Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var kind = FileKinds.Of(full);
        if (kind is not (FileKind.RegularFile or FileKind.Missing or FileKind.CharacterDevice or FileKind.NamedPipe))
            throw new IOException($"it is {FileKinds.Describe(kind)}");
        // A stream is opened through its links; a file is replaced where the links end.
        if (IsStream(kind) || FileKinds.Of(full, followLinks: false) != FileKind.SymbolicLink) return (full, kind);
        return (File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full, kind);
    }
}
