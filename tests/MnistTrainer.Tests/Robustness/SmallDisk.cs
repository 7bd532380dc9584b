using System.Diagnostics;

namespace MnistTrainer.Tests.Robustness;

/// <summary>A 1 MiB tmpfs mounted for one test (root only), to make a real "no space left on device".</summary>
public sealed class SmallDisk : IDisposable
{
    SmallDisk(string folder) => Folder = folder;

    public string Folder { get; }

    public static SmallDisk Mount()
    {
        var folder = Directory.CreateTempSubdirectory("mnist-full-disk-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder);
        if (code == 0) return new SmallDisk(folder);
        Directory.Delete(folder);
        throw new InvalidOperationException($"mount -t tmpfs failed: {error.Trim()}");
    }

    /// <summary>Fills the disk until only about <paramref name="bytesLeft"/> are free.</summary>
    public void FillLeaving(long bytesLeft)
    {
        long free = new DriveInfo(Folder).AvailableFreeSpace;
        File.WriteAllBytes(Path.Combine(Folder, "filler"), new byte[Math.Max(0, free - bytesLeft)]);
    }

    public void Dispose()
    {
        Run("umount", Folder);
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    static (int Code, string Error) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
