using System.Runtime.InteropServices;

namespace MnistTrainer.Files;

/// <summary>The few POSIX calls .NET has no API for: a file's type, and syncing a folder.</summary>
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
