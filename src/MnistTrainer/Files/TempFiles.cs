using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MnistTrainer.Files;

/// <summary>
/// The temporary files that writes and downloads fill before renaming them into place: <c>.NAME.PID.RANDOM.tmp</c>
/// beside the target. A process killed mid-write leaves one behind; the next write into that folder removes
/// it once its process is gone, and never touches one whose writer still runs.
/// </summary>
public static partial class TempFiles
{
    /// <remarks>At most the first 64 characters of the target's name: a name near the file system's 255-byte limit must still leave room.</remarks>
    public static string NameFor(string target)
    {
        var name = Path.GetFileName(target);
        return Path.Combine(Path.GetDirectoryName(target)!,
            $".{name[..Math.Min(name.Length, 64)]}.{Environment.ProcessId}.{Random.Shared.Next():x8}.tmp");
    }

    [GeneratedRegex(@"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")]
    private static partial Regex Pattern();

    /// <summary>Deletes the temporary files in <paramref name="folder"/> whose writer has ended. Best effort: a file that cannot be removed stays.</summary>
    public static void RemoveStale(string folder)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
                if (Pattern().Match(Path.GetFileName(file)) is { Success: true } match
                    && int.TryParse(match.Groups[1].Value, out int pid) && !IsRunning(pid))
                    TryDelete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    internal static void TryDelete(string path)
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
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
