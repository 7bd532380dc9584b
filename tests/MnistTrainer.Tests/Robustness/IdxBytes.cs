using System.Buffers.Binary;
using System.IO.Compression;

namespace MnistTrainer.Tests.Robustness;

/// <summary>Builds IDX file contents (valid or deliberately broken) and writes them plain or gzipped.</summary>
public static class IdxBytes
{
    public static byte[] Images(int count, int rows, int cols, ReadOnlySpan<byte> pixels) =>
        [.. Header(2051, count, rows, cols), .. pixels];

    public static byte[] Labels(int count, ReadOnlySpan<byte> labels) => [.. Header(2049, count), .. labels];

    public static byte[] Header(params int[] ints)
    {
        var bytes = new byte[ints.Length * 4];
        for (int i = 0; i < ints.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * 4), ints[i]);
        return bytes;
    }

    public static byte[] Gzip(byte[] plain)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(plain);
        return output.ToArray();
    }
}
