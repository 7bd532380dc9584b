using System.Runtime.InteropServices;

namespace MnistTrainer.Files;

/// <summary>What a path names. Only regular files are replaced by rename; see <see cref="OutputFile"/> and <see cref="InputFile"/>.</summary>
public enum FileKind { Missing, RegularFile, Directory, SymbolicLink, CharacterDevice, NamedPipe, Socket, BlockDevice }

public static class FileKinds
{
    /// <summary>
    /// The kind of <paramref name="path"/>, following symbolic links (so <c>/dev/stdout</c> is what standard output
    /// is), or of the link itself when <paramref name="followLinks"/> is false. A path that cannot be examined
    /// counts as <see cref="FileKind.Missing"/>: opening it then reports why.
    /// </summary>
    public static FileKind Of(string path, bool followLinks = true)
    {
        if (!OperatingSystem.IsLinux())
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.RegularFile : FileKind.Missing;
        var buffer = Statx(path, followLinks);
        if (buffer == null) return FileKind.Missing;
        return (BitConverter.ToUInt16(buffer, 28) & 0xF000) switch
        {
            0x8000 => FileKind.RegularFile,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x2000 => FileKind.CharacterDevice,
            0x1000 => FileKind.NamedPipe,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Socket,
        };
    }

    /// <summary>
    /// Which file <paramref name="path"/> is, following links: its device and inode, the same for every name of it
    /// (<c>m</c>, <c>./m</c>, a link to it, a hard link). Null when it does not exist (or off Linux).
    /// </summary>
    public static (ulong Device, ulong Inode)? IdentityOf(string path)
    {
        if (!OperatingSystem.IsLinux() || Statx(path, followLinks: true) is not { } buffer) return null;
        // stx_ino is the u64 at byte 32; stx_dev_major and stx_dev_minor the u32s at 136 and 140.
        ulong device = (ulong)BitConverter.ToUInt32(buffer, 136) << 32 | BitConverter.ToUInt32(buffer, 140);
        return (device, BitConverter.ToUInt64(buffer, 32));
    }

    /// <summary>statx, not stat: its buffer has the same layout on every architecture. Null when the path cannot be examined.</summary>
    static byte[]? Statx(string path, bool followLinks)
    {
        const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, BasicStats = 0x7ff;
        var buffer = new byte[256];
        return StatxCall(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, BasicStats, buffer) == 0 ? buffer : null;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    static extern int StatxCall(int dirFd, string path, int flags, uint mask, byte[] buffer);

    /// <summary>How a message names the kind: "a named pipe (FIFO)".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.CharacterDevice => "a character device",
        FileKind.NamedPipe => "a named pipe (FIFO)",
        FileKind.Socket => "a socket",
        FileKind.BlockDevice => "a block device",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Missing => "missing",
        _ => "a regular file",
    };
}
