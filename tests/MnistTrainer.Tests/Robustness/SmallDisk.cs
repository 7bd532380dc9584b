using System.Runtime.InteropServices;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// A 1 MiB tmpfs mounted for one test (root only), to make a real "no space left on device". Mounted
/// through libc's mount(2), not the mount program, which a minimal system may not have.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    SmallDisk(string folder) => Folder = folder;

    public string Folder { get; }

    public static SmallDisk Mount()
    {
        var folder = Directory.CreateTempSubdirectory("mnist-full-disk-").FullName;
        if (mount("tmpfs", folder, "tmpfs", 0, "size=1m") == 0) return new SmallDisk(folder);
        int errno = Marshal.GetLastPInvokeError();
        Directory.Delete(folder);
        throw new InvalidOperationException($"mounting a tmpfs on {folder} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Fills the disk until only about <paramref name="bytesLeft"/> are free.</summary>
    public void FillLeaving(long bytesLeft)
    {
        long free = new DriveInfo(Folder).AvailableFreeSpace;
        File.WriteAllBytes(Path.Combine(Folder, "filler"), new byte[Math.Max(0, free - bytesLeft)]);
    }

    public void Dispose()
    {
        umount(Folder);
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int mount(string source, string target, string fileSystemType, ulong flags, string data);

    [DllImport("libc", SetLastError = true)]
    static extern int umount(string target);
}
