using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MnistTrainer.Tests;

/// <summary>
/// Hand-made image files for format and damage tests: PNG chunks with any header (even a lying one),
/// 24-bit BMP and multi-frame GIF, formats SkiaSharp can read but not write.
/// </summary>
public static class ImageBytes
{
    /// <summary>A grayscale 8-bit PNG whose header declares <paramref name="width"/>×<paramref name="height"/>, with <paramref name="rows"/> rows of data.</summary>
    public static byte[] Png(int width, int height, byte[][] rows)
    {
        var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (gray), compression, filter, interlace all 0
        Chunk(output, "IHDR", header);
        var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            foreach (var row in rows)
            {
                z.WriteByte(0); // filter: none
                z.Write(row);
            }
        Chunk(output, "IDAT", raw.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        output.Write(number);
    }

    static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>An uncompressed 24-bit BMP of a gray image (bottom-up rows padded to 4 bytes, as the format wants).</summary>
    public static byte[] Bmp(int width, int height, byte[] gray)
    {
        int stride = (3 * width + 3) / 4 * 4;
        var bytes = new byte[54 + stride * height];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bytes.AsSpan(54 + (height - 1 - y) * stride + 3 * x, 3).Fill(gray[y * width + x]);
        return bytes;
    }

    /// <summary>
    /// A GIF with one frame per gray image, using a 256-gray palette. The LZW data sends every pixel as
    /// a literal 9-bit code and resets the table before it would grow, which any decoder accepts.
    /// </summary>
    public static byte[] Gif(int width, int height, params byte[][] frames)
    {
        var output = new MemoryStream();
        output.Write("GIF89a"u8);
        Span<byte> screen = stackalloc byte[7];
        BinaryPrimitives.WriteUInt16LittleEndian(screen, (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(screen[2..], (ushort)height);
        screen[4] = 0xF7; // global colour table of 256 entries
        output.Write(screen);
        for (int i = 0; i < 256; i++) output.Write([(byte)i, (byte)i, (byte)i]);
        var descriptor = new byte[10];
        foreach (var frame in frames)
        {
            descriptor[0] = 0x2C;
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[5..], (ushort)width);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[7..], (ushort)height);
            output.Write(descriptor);
            output.WriteByte(8); // minimum code size
            var data = Lzw(frame);
            for (int start = 0; start < data.Length; start += 255)
            {
                int n = Math.Min(255, data.Length - start);
                output.WriteByte((byte)n);
                output.Write(data, start, n);
            }
            output.WriteByte(0);
        }
        output.WriteByte(0x3B);
        return output.ToArray();
    }

    static byte[] Lzw(byte[] pixels)
    {
        const int Clear = 256, End = 257;
        var codes = new List<int>();
        for (int i = 0; i < pixels.Length; i++)
        {
            if (i % 250 == 0) codes.Add(Clear);
            codes.Add(pixels[i]);
        }
        codes.Add(End);
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (int code in codes)
        {
            buffer |= code << bits;
            bits += 9;
            while (bits >= 8)
            {
                bytes.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }
        if (bits > 0) bytes.Add((byte)buffer);
        return bytes.ToArray();
    }
}
