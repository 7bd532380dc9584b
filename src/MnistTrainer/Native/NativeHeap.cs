using System.Runtime.InteropServices;

namespace MnistTrainer.Native;

/// <summary>How glibc's malloc, which libtorch allocates through, gives memory back.</summary>
public static class NativeHeap
{
    const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int Mallopt(int parameter, int value);

    /// <summary>
    /// Fixes malloc's threshold for blocks of their own at its default, 128 KiB. glibc otherwise raises it to
    /// the size of each large block freed (up to 32 MiB), so that the evaluation's blocks of a few MiB then
    /// come from the heap and stay there: a training's RSS grew by 13 MiB over 10 epochs. Fixed, such a
    /// block is unmapped when freed and RSS stays flat (docs/benchmarks.md). Nothing is done where the C
    /// library is not glibc.
    /// </summary>
    public static void ReturnLargeBlocksWhenFreed()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            Mallopt(MallocMmapThreshold, 128 * 1024);
        }
        catch (EntryPointNotFoundException)
        {
            // musl and other C libraries have no mallopt; their malloc has no such threshold to fix.
        }
    }
}
