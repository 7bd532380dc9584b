using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace MnistTrainer.Files;

/// <summary>
/// A new version of a regular file, written to a temporary file beside it, <c>.NAME.PID.RANDOM.tmp</c>, and renamed
/// over it by <see cref="Commit"/> once complete: the final name only ever holds a whole file. Disposed without a
/// commit, the temporary file is deleted and the old file is untouched. A process killed mid-write leaves its
/// temporary file behind; the next replacement in that folder removes it once its process is gone, and never
/// touches one whose writer still runs.
/// </summary>
public sealed partial class FileReplacement : IDisposable
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
        RemoveStaleTempFiles(folder);
        temp = TempNameFor(target);
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
        SyncFolder(Path.GetDirectoryName(target)!);
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!committed) TryDelete(temp);
    }

    /// <remarks>At most the first 64 characters of the target's name: a name near the file system's 255-byte limit must still leave room.</remarks>
    public static string TempNameFor(string target)
    {
        var name = Path.GetFileName(target);
        return Path.Combine(Path.GetDirectoryName(target)!,
            $".{name[..Math.Min(name.Length, 64)]}.{Environment.ProcessId}.{Random.Shared.Next():x8}.tmp");
    }

    [GeneratedRegex(@"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")]
    private static partial Regex TempName();

    /// <summary>Best effort: a file that cannot be removed stays.</summary>
    static void RemoveStaleTempFiles(string folder)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
                if (TempName().Match(Path.GetFileName(file)) is { Success: true } match
                    && int.TryParse(match.Groups[1].Value, out int pid) && !IsRunning(pid))
                    TryDelete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return false; }
    }

    /// <summary>
    /// Makes the rename durable: without it, a power cut soon after a save can bring back the old file (or none).
    /// Best effort: a file system that cannot sync a folder has still done the rename. .NET has no API for it.
    /// </summary>
    static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Open(folder, 0); // O_RDONLY
        if (fd < 0) return;
        Fsync(fd);
        Close(fd);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    static extern int Close(int fd);
}
