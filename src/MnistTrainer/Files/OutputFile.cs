using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace MnistTrainer.Files;

/// <summary>
/// Writes the files commands produce (models, checkpoints, exported weights, pictures), by the rules of
/// docs/errors.md: a regular file (or a new path) is replaced atomically through a <see cref="FileReplacement"/>;
/// a symbolic link is followed and its final target replaced, so the link stays a link; a character device or a
/// named pipe (<c>/dev/null</c>, a FIFO) or an open descriptor (<c>/dev/stdout</c>) is written as a stream; anything
/// else is refused untouched. <c>-</c> means standard output, as in most Unix tools. <see cref="FilePlan"/> checks
/// every output of a command before it starts.
/// Every failure is a <see cref="FileProblemException"/> that names the file.
/// </summary>
public static partial class OutputFile
{
    public static void Write(string path, Action<Stream> write) => FileFailure.Writing(path, () =>
    {
        using (var stream = OpenStream(path))
            if (stream != null)
            {
                write(stream);
                return;
            }
        using var replacement = new FileReplacement(Resolve(path).Target);
        write(replacement.Stream);
        replacement.Commit();
    });

    /// <summary>
    /// <paramref name="path"/> opened for writing when it is written as a stream (a device, a named pipe, an open
    /// descriptor); null when it is a file to replace. Errors are the system's: callers run it inside <see cref="FileFailure.Writing"/>.
    /// </summary>
    internal static Stream? OpenStream(string path)
    {
        if (OpenDescriptor(path) is { } descriptor)
        {
            if (OperatingSystem.IsLinux() && FileKinds.Of($"/proc/self/fd/{descriptor}") == FileKind.Missing) throw new IOException($"descriptor {descriptor} is not open");
            return new FileStream(new SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, 1 << 16);
        }
        var (target, kind) = Resolve(path);
        // No FileShare.None: on Unix that takes a lock, and /dev/null is shared with every other process.
        return IsStream(kind) ? new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16) : null;
    }

    public const string StandardOutputName = "-";

    /// <summary>Whether <paramref name="path"/> is written as a stream rather than replaced: a device, a named pipe, an open descriptor.</summary>
    public static bool IsStream(string path) => OpenDescriptor(path) != null || IsStream(FileKinds.Of(path));

    /// <summary>Whether writing <paramref name="path"/> writes this process's standard output: <c>-</c>, <c>/dev/stdout</c>, <c>/dev/fd/1</c>, ….</summary>
    public static bool IsStandardOutput(string path) => OpenDescriptor(path) == 1;

    internal static bool IsStream(FileKind kind) => kind is FileKind.CharacterDevice or FileKind.NamedPipe;

    /// <summary>
    /// <c>/dev/stdout</c>, <c>/dev/stderr</c>, <c>/dev/fd/N</c>, <c>/proc/self/fd/N</c> name a descriptor this process
    /// has open: written where it stands, so that <c>-o /dev/stdout &gt;&gt; file</c> appends instead of replacing the file.
    /// </summary>
    static int? OpenDescriptor(string path)
    {
        if (path == StandardOutputName) return 1;
        if (!OperatingSystem.IsLinux()) return null;
        var match = DescriptorPath().Match(Path.GetFullPath(path));
        if (!match.Success) return null;
        return match.Groups["name"].Value switch { "stdout" => 1, "stderr" => 2, _ => int.Parse(match.Groups["fd"].Value) };
    }

    [GeneratedRegex(@"^/(?:dev/(?<name>stdout|stderr)|dev/fd/(?<fd>\d{1,9})|proc/self/fd/(?<fd>\d{1,9}))$")]
    private static partial Regex DescriptorPath();

    /// <summary>Where to write and what is there now: the final target of a symbolic link, or the path itself.</summary>
    internal static (string Target, FileKind Kind) Resolve(string path)
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

/// <summary>
/// An output that grows while a command runs, such as the metrics file's rows. A stream (a pipe, <c>/dev/stdout</c>)
/// gets each piece as it comes. A regular file is replaced through <see cref="OutputFile"/> by everything so far
/// after each piece: it always holds whole rows, and the file of an earlier run stays as it was until the first
/// piece replaces it, never emptied by a run that then dies.
/// </summary>
public sealed class GrowingOutputFile(string path) : IDisposable
{
    readonly MemoryStream content = new();
    Stream? stream;
    bool opened;

    public void Append(ReadOnlySpan<byte> piece)
    {
        var bytes = piece.ToArray();
        FileFailure.Writing(path, () =>
        {
            if (!opened)
            {
                stream = OutputFile.OpenStream(path);
                opened = true;
            }
            if (stream != null)
            {
                stream.Write(bytes);
                stream.Flush();
            }
        });
        if (stream != null) return;
        content.Write(bytes);
        OutputFile.Write(path, file => file.Write(content.GetBuffer(), 0, (int)content.Length));
    }

    public void Dispose() => stream?.Dispose();
}
