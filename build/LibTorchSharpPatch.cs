// Compiled by RoslynCodeTaskFactory (see LibTorchSharpPatch.targets), which accepts a single
// source file, so the task and its two helpers live together here. Keep it netstandard2.0-clean.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;

namespace MnistTrainer.Build;

/// <summary>
/// Writes a copy of TorchSharp's libLibTorchSharp.so whose GLIBCXX_3.4.32 requirement is weak,
/// unless the system libstdc++ already provides that version.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 is linked against GCC 13's libstdc++ and so requires GLIBCXX_3.4.32, which
/// GCC 12 (Debian 12, Ubuntu 22.04) lacks: the dynamic loader then refuses the library. The only
/// symbol bound to that version is std::ios_base_library_init, a link-time marker nothing calls,
/// and the loader tolerates a missing version whose requirement is flagged weak.
/// (The base class is qualified because the tests compile this file where System.Threading.Tasks is imported.)
/// </remarks>
public class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    public const string Version = "GLIBCXX_3.4.32";

    [Required] public string Source { get; set; } = "";
    [Required] public string Destination { get; set; } = "";

    /// <summary>Patch even if the system libstdc++ has the version (e.g. to publish for an older system).</summary>
    public bool Force { get; set; }

    /// <summary>True when Destination holds the patched copy and should replace Source.</summary>
    [Output] public bool Patched { get; set; }

    public override bool Execute()
    {
        string? libStdCxx = LibStdCxx.Find();
        if (!Force && libStdCxx != null && LibStdCxx.HasVersion(libStdCxx, Version))
        {
            Log.LogMessage($"{libStdCxx} has {Version}: using {Source} as is.");
            return true;
        }

        byte[] elf = File.ReadAllBytes(Source);
        try
        {
            if (!ElfVersionNeeds.MarkWeak(elf, Version))
            {
                Log.LogMessage($"{Source} does not require {Version}: using it as is.");
                return true;
            }
        }
        catch (Exception e)
        {
            Log.LogWarning($"Could not patch {Source} ({e.Message}); TorchSharp will not load where libstdc++ lacks {Version}.");
            return true;
        }

        // Skipping identical content keeps the timestamp, so the copy to bin/ stays incremental.
        if (!File.Exists(Destination) || !File.ReadAllBytes(Destination).SequenceEqual(elf))
        {
            // Written to a new file, never in place: Destination may be a hard link into the NuGet cache.
            // Copying first keeps the file mode.
            Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
            string temp = Destination + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.Copy(Source, temp);
            File.WriteAllBytes(temp, elf);
            File.Delete(Destination);
            File.Move(temp, Destination);
            Log.LogMessage(MessageImportance.High,
                $"Made {Version} optional in a copy of {Path.GetFileName(Source)}, for libstdc++ without it ({libStdCxx ?? "none found"}): {Destination}");
        }
        Patched = true;
        return true;
    }
}

/// <summary>Reads and edits the version requirements (.gnu.version_r) of a little-endian ELF64 file.</summary>
public static class ElfVersionNeeds
{
    public const ushort WeakFlag = 0x2; // VER_FLG_WEAK
    const uint SectionTypeVerneed = 0x6ffffffe; // SHT_GNU_verneed

    public sealed class Entry
    {
        public Entry(string file, string version, ushort flags, int flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        public string File { get; }
        public string Version { get; }
        public ushort Flags { get; }
        /// <summary>Where vna_flags of this entry sits in the file.</summary>
        public int FlagsOffset { get; }
    }

    /// <summary>Every (needed file, version) pair, in file order.</summary>
    public static List<Entry> Read(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");

        var entries = new List<Entry>();
        int sectionTable = checked((int)U64(elf, 0x28));
        int sectionSize = U16(elf, 0x3a);
        int sectionCount = U16(elf, 0x3c);
        for (int s = 0; s < sectionCount; s++)
        {
            int header = sectionTable + s * sectionSize;
            if (U32(elf, header + 4) != SectionTypeVerneed)
                continue;

            int need = checked((int)U64(elf, header + 24)); // sh_offset
            int strings = checked((int)U64(elf, sectionTable + (int)U32(elf, header + 40) * sectionSize + 24)); // sh_link's sh_offset
            int needCount = (int)U32(elf, header + 44); // sh_info
            for (int n = 0; n < needCount; n++)
            {
                string file = CString(elf, strings + (int)U32(elf, need + 4));
                int aux = need + (int)U32(elf, need + 8);
                for (int a = 0; a < U16(elf, need + 2); a++)
                {
                    entries.Add(new Entry(file, CString(elf, strings + (int)U32(elf, aux + 8)), U16(elf, aux + 4), aux + 4));
                    aux += (int)U32(elf, aux + 12);
                }
                need += (int)U32(elf, need + 12);
            }
        }
        return entries;
    }

    /// <summary>Flags every requirement of <paramref name="version"/> weak; false if there is none.</summary>
    public static bool MarkWeak(byte[] elf, string version)
    {
        var matches = Read(elf).Where(e => e.Version == version).ToList();
        foreach (var entry in matches)
            elf[entry.FlagsOffset] |= (byte)WeakFlag; // vna_flags is little-endian; the flag is in its low byte
        return matches.Count > 0;
    }

    static ushort U16(byte[] b, int at) => BitConverter.ToUInt16(b, at);
    static uint U32(byte[] b, int at) => BitConverter.ToUInt32(b, at);
    static ulong U64(byte[] b, int at) => BitConverter.ToUInt64(b, at);

    static string CString(byte[] b, int at)
    {
        int end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}

/// <summary>Finds the libstdc++ that .NET processes on this machine load.</summary>
public static class LibStdCxx
{
    static readonly string[] LibDirs =
        { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" };

    /// <summary>
    /// The one mapped into this process (the dotnet host links it, so it is what the app will load),
    /// else the first in the usual library folders; null if none.
    /// </summary>
    public static string? Find()
    {
        if (File.Exists("/proc/self/maps"))
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int path = line.IndexOf('/');
                if (path >= 0 && Path.GetFileName(line).StartsWith("libstdc++.so"))
                    return line.Substring(path);
            }
        }
        return LibDirs.Select(dir => Path.Combine(dir, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    public static bool HasVersion(string libStdCxx, string version) =>
        Encoding.ASCII.GetString(File.ReadAllBytes(libStdCxx)).Contains(version + "\0");
}
