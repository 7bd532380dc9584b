using System.Text;

namespace MnistTrainer.Tests.Build;

/// <summary>
/// A minimal little-endian ELF64 file with only a string table and a .gnu.version_r section needing
/// libc.so.6 (GLIBC_2.34) and libstdc++.so.6 (GLIBCXX_3.4.30, GLIBCXX_3.4.32).
/// </summary>
static class CraftedElf
{
    public static byte[] Build()
    {
        var strings = new List<byte> { 0 };
        int Add(string s)
        {
            int at = strings.Count;
            strings.AddRange(Encoding.ASCII.GetBytes(s + "\0"));
            return at;
        }
        int libc = Add("libc.so.6"), glibc = Add("GLIBC_2.34");
        int libstdcxx = Add("libstdc++.so.6"), v30 = Add("GLIBCXX_3.4.30"), v32 = Add("GLIBCXX_3.4.32");

        var verneed = new MemoryStream();
        var w = new BinaryWriter(verneed);
        // Verneed: version, count, file, aux offset, next offset; Vernaux: hash, flags, other, name, next offset.
        w.Write((ushort)1); w.Write((ushort)1); w.Write(libc); w.Write(16); w.Write(32);
        w.Write(0x11111111u); w.Write((ushort)0); w.Write((ushort)2); w.Write(glibc); w.Write(0);
        w.Write((ushort)1); w.Write((ushort)2); w.Write(libstdcxx); w.Write(16); w.Write(0);
        w.Write(0x22222222u); w.Write((ushort)0); w.Write((ushort)3); w.Write(v30); w.Write(16);
        w.Write(0x33333333u); w.Write((ushort)0); w.Write((ushort)4); w.Write(v32); w.Write(0);

        const int stringsAt = 64;
        int verneedAt = stringsAt + strings.Count;
        int sectionsAt = verneedAt + (int)verneed.Length;

        var file = new MemoryStream();
        var f = new BinaryWriter(file);
        f.Write([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        f.Write((ushort)3); f.Write((ushort)0x3e); f.Write(1u); // ET_DYN, x86-64, EV_CURRENT
        f.Write(0UL); f.Write(0UL); f.Write((ulong)sectionsAt); // entry, program headers, section headers
        f.Write(0u); f.Write((ushort)64); f.Write((ushort)56); f.Write((ushort)0); // flags, header sizes, no program headers
        f.Write((ushort)64); f.Write((ushort)3); f.Write((ushort)1); // section header size, count, names in section 1
        f.Write(strings.ToArray());
        f.Write(verneed.ToArray());
        Section(f, 0, 0, 0, 0, 0, 0);
        Section(f, 0, 3, stringsAt, strings.Count, 0, 0); // SHT_STRTAB
        Section(f, 0, 0x6ffffffe, verneedAt, (int)verneed.Length, link: 1, info: 2); // SHT_GNU_verneed
        return file.ToArray();
    }

    static void Section(BinaryWriter f, uint name, uint type, int offset, int size, uint link, uint info)
    {
        f.Write(name); f.Write(type); f.Write(0UL); f.Write(0UL);
        f.Write((ulong)offset); f.Write((ulong)size); f.Write(link); f.Write(info); f.Write(8UL); f.Write(0UL);
    }
}
