using System.Runtime.InteropServices;

namespace MnistTrainer.Files;

/// <summary>The few POSIX calls .NET has no API for: a file's type and identity, a folder's real path and writability, syncing a folder.</summary>
static class Libc
{
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    internal static extern int Statx(int dirFd, string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    static extern int Access(string path, int mode);

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    static extern IntPtr RealPath(string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    static extern void Free(IntPtr pointer);

    /// <summary>Why new files cannot be made in <paramref name="folder"/> ("permission denied", "read-only file system"), or null when they can.</summary>
    internal static string? WhyNotWritable(string folder)
    {
        if (!OperatingSystem.IsLinux()) return null;
        const int WriteOk = 2, ExecuteOk = 1, ReadOnlyFileSystem = 30;
        if (Access(folder, WriteOk | ExecuteOk) == 0) return null;
        return Marshal.GetLastPInvokeError() == ReadOnlyFileSystem ? "read-only file system" : "permission denied";
    }

    /// <summary>The path with every symbolic link and "..", resolved (it must exist); as given where that fails.</summary>
    internal static string Canonical(string path)
    {
        if (!OperatingSystem.IsLinux()) return Path.GetFullPath(path);
        IntPtr resolved = RealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return Path.GetFullPath(path);
        try { return Marshal.PtrToStringUTF8(resolved)!; }
        finally { Free(resolved); }
    }

    /// <summary>
    /// Makes a rename in <paramref name="folder"/> durable: without it, a power cut soon after a save can bring back
    /// the old file (or none). Best effort: a file system that cannot sync a folder has still done the rename.
    /// </summary>
    internal static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Open(folder, 0); // O_RDONLY
        if (fd < 0) return;
        Fsync(fd);
        Close(fd);
    }
}
