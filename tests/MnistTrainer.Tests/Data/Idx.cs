using System.Buffers.Binary;
using System.IO.Compression;
using MnistTrainer.Data;

namespace MnistTrainer.Tests.Data;

/// <summary>Builds IDX files in memory, valid or deliberately broken.</summary>
public static class Idx
{
    /// <summary>An image file of <paramref name="count"/> images whose pixels are 0, 1, 2, … (mod 256).</summary>
    public static byte[] Images(int count, int rows = 28, int cols = 28) =>
        [.. Header(2051, count, rows, cols), .. Enumerable.Range(0, count * rows * cols).Select(i => (byte)i)];

    public static byte[] Labels(params byte[] labels) => [.. Header(2049, labels.Length), .. labels];

    /// <summary>The image file of a set of 28×28 images.</summary>
    public static byte[] Images(LabeledImages set) => [.. Header(2051, set.Count, 28, 28), .. set.Pixels];

    /// <summary>The label file of a set of images.</summary>
    public static byte[] Labels(LabeledImages set) => Labels(set.Labels);

    /// <summary>Big-endian 32-bit integers, as IDX headers are written.</summary>
    public static byte[] Header(params int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(data);
        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="folder"/>/<paramref name="name"/> and returns the path.</summary>
    public static string Write(string folder, string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
