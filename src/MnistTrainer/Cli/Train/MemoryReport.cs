using System.Diagnostics;

namespace MnistTrainer.Cli;

/// <summary>
/// One line on the process's memory, for <c>train --diagnostics</c>: resident set (RSS) now and at
/// its peak, the managed heap, garbage collections so far, and the time since the process started.
/// </summary>
public static class MemoryReport
{
    const double MiB = 1024 * 1024;

    public static string Line()
    {
        using var process = Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        return $"memory: rss {Environment.WorkingSet / MiB:F0} MiB, peak {process.PeakWorkingSet64 / MiB:F0} MiB, " +
               $"managed heap {GC.GetTotalMemory(false) / MiB:F0} MiB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, " +
               $"{sinceStart.TotalSeconds:F2} s since start";
    }
}
