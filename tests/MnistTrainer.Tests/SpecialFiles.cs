using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MnistTrainer.Tests;

/// <summary>
/// Makes the files that are not regular files, in a test's own folder (never the real /dev/null): named pipes,
/// a null device, a socket. Through libc and .NET, not the mkfifo/mknod programs, which a minimal system may lack.
/// </summary>
public static class SpecialFiles
{
    public static string MakeFifo(string path)
    {
        if (MkFifo(path, 0x1B6 /* 0666 */) != 0) throw new IOException($"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");
        return path;
    }

    /// <summary>A character device with /dev/null's numbers (1, 3): writes to it vanish. Creating one needs root.</summary>
    public static string MakeNullDevice(string path)
    {
        const uint CharacterDevice = 0x2000, ReadWriteForAll = 0x1B6;
        ulong nullDevice = (1 << 8) | 3; // glibc's makedev(1, 3)
        if (MkNod(path, CharacterDevice | ReadWriteForAll, nullDevice) != 0)
            throw new IOException($"mknod {path}: errno {Marshal.GetLastPInvokeError()}");
        return path;
    }

    /// <summary>A second name for the same file (a hard link): nothing but its device and inode says so.</summary>
    public static void MakeHardLink(string existing, string path)
    {
        if (HardLink(existing, path) != 0) throw new IOException($"link {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int HardLink(string existing, string path);

    /// <summary>A Unix-domain socket bound at <paramref name="path"/>; .NET removes the file when it is disposed.</summary>
    public static Socket MakeSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>Reads everything written into the named pipe at <paramref name="path"/>, starting now (the open waits for a writer).</summary>
    public static Task<byte[]> ReadAllFromFifo(string path) => Task.Run(() => File.ReadAllBytes(path));

    /// <summary>
    /// Runs <paramref name="action"/>, which must not open the pipe at <paramref name="fifo"/> (that would wait for a
    /// writer): if it still runs after 30 s, a writer is faked to release it and the test fails instead of hanging.
    /// </summary>
    public static Task<T> RunNotBlockingOn<T>(string fifo, Func<T> action)
    {
        var run = Task.Run(action);
        if (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)))
        {
            ReleaseReader(fifo);
            Assert.Fail($"still waiting on the named pipe {fifo} after 30 s");
        }
        return run;
    }

    /// <summary>Opens the pipe for writing and closes it, so that a reader blocked in open (a test that failed) is released.</summary>
    static void ReleaseReader(string path)
    {
        const int WriteOnlyNonBlocking = 0x1 | 0x800;
        int fd = Open(path, WriteOnlyNonBlocking);
        if (fd >= 0) Close(fd);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    static extern int MkFifo(string path, uint mode);

    [DllImport("libc", EntryPoint = "mknod", SetLastError = true)]
    static extern int MkNod(string path, uint mode, ulong device);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    static extern int Close(int fd);
}
