using System.Buffers.Binary;
using System.IO.Compression;
using MnistTrainer.Files;

namespace MnistTrainer.Data;

/// <summary>Images of an IDX image file (magic 2051): <see cref="Count"/> images of Rows×Cols bytes, row-major.</summary>
public sealed record IdxImages(int Count, int Rows, int Cols, byte[] Pixels);

/// <summary>
/// Reads the IDX files MNIST ships in, plain or gzip-compressed. Every header is checked against the
/// real length of the data before anything is allocated from it, so a broken or hostile header cannot
/// make the reader ask for gigabytes.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 2051;
    public const int LabelsMagic = 2049;
    const int MaxSide = 4096;
    const long PlausibleRatio = 16;
    const string DataFileNoun = "data file";

    public static IdxImages ReadImages(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, 16, ImagesMagic);
        int count = ReadInt(header, 4), rows = ReadInt(header, 8), cols = ReadInt(header, 12);
        if (count < 0) throw new IdxFormatException(path, $"negative image count {count} in the header");
        if (rows is < 1 or > MaxSide || cols is < 1 or > MaxSide)
            throw new IdxFormatException(path, $"implausible image size {rows}×{cols} in the header");
        long expected = (long)count * rows * cols;
        var pixels = ReadBody(stream, path, expected, $"{count} images of {rows}×{cols}");
        return new IdxImages(count, rows, cols, pixels);
    }

    public static byte[] ReadLabels(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, 8, LabelsMagic);
        int count = ReadInt(header, 4);
        if (count < 0) throw new IdxFormatException(path, $"negative label count {count} in the header");
        return ReadBody(stream, path, count, $"{count} labels");
    }

    static Stream Open(string path)
    {
        var file = InputFile.Open(path, DataFileNoun, 1 << 16);
        return IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>
    /// Reads the header, checking the magic number as soon as it is there: a small label file passed as
    /// images is shorter than an image header and should be named for what it is, not as "cut short".
    /// </summary>
    static byte[] ReadHeader(Stream stream, string path, int size, int expectedMagic)
    {
        var header = new byte[size];
        int n = ReadFully(stream, path, header);
        if (n == 0) throw new IdxFormatException(path, "file is empty");
        if (n >= 4) CheckMagic(path, ReadInt(header, 0), expectedMagic);
        if (n < size) throw new IdxFormatException(path, $"header cut short ({n} of {size} bytes)");
        return header;
    }

    static void CheckMagic(string path, int magic, int expected)
    {
        if (magic == expected) return;
        if (magic == LabelsMagic)
            throw new IdxFormatException(path, "this is an IDX label file (magic 2049), but an image file (magic 2051) was expected");
        if (magic == ImagesMagic)
            throw new IdxFormatException(path, "this is an IDX image file (magic 2051), but a label file (magic 2049) was expected");
        throw new IdxFormatException(path, $"not an IDX {(expected == ImagesMagic ? "image" : "label")} file (magic {magic}, expected {expected})");
    }

    /// <summary>
    /// Reads exactly <paramref name="expected"/> bytes and checks that nothing follows. A plain file's
    /// length is known up front; for a compressed one memory grows only with data that can really be
    /// there (see below).
    /// </summary>
    static byte[] ReadBody(Stream stream, string path, long expected, string what)
    {
        if (expected > Array.MaxLength)
            throw new IdxFormatException(path, $"header declares {what} ({expected:N0} bytes), more than any real file holds");
        if (stream is FileStream file && file.Length - file.Position != expected)
        {
            long actual = file.Length - file.Position;
            throw new IdxFormatException(path, actual < expected
                ? $"data is shorter than the header says: {actual:N0} of {expected:N0} bytes for {what}"
                : $"data is longer than the header says: {actual:N0} bytes, but {what} take {expected:N0}");
        }

        if (stream is FileStream)
        {
            var exact = new byte[expected];
            ReadFully(stream, path, exact);
            return exact;
        }

        // Decompressed into an array of the final size where that is plausible: gzip rarely packs
        // images more than 16 to 1, so up to 16 times the compressed size is allocated at once, and
        // beyond that the array grows only as real data arrives. (A growing MemoryStream and its final
        // copy took about three times the data's size at the peak.)
        long compressed = stream is GZipStream { BaseStream.CanSeek: true } gzip ? gzip.BaseStream.Length : 1 << 16;
        var body = new byte[Math.Min(expected, compressed * PlausibleRatio)];
        long length = 0;
        while (true)
        {
            length += ReadFully(stream, path, body.AsSpan((int)length));
            if (length < body.Length || body.Length == expected) break;
            Array.Resize(ref body, (int)Math.Min(expected, 2L * body.Length));
        }
        // GZipStream ends quietly at a truncated stream, so a short body is how a cut-off .gz shows.
        if (length < expected)
            throw new IdxFormatException(path, $"data is shorter than the header says: {length:N0} of {expected:N0} bytes for {what} (is the .gz file cut short?)");
        if (ReadFully(stream, path, stackalloc byte[1]) > 0)
            throw new IdxFormatException(path, $"data is longer than the header says: {what} take {expected:N0} bytes");
        return body;
    }

    static int ReadFully(Stream stream, string path, Span<byte> buffer)
    {
        try { return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false); }
        catch (InvalidDataException e) { throw new IdxFormatException(path, "corrupt gzip data", e); }
        catch (EndOfStreamException e) { throw new IdxFormatException(path, "gzip data cut short", e); }
        catch (IOException e) { throw FileFailure.Reading(path, DataFileNoun, e); }
    }

    static int ReadInt(byte[] header, int offset) => BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(offset));
}

/// <summary>Reads a train or test split from an image file and a label file, checking that they belong together.</summary>
public static class DatasetFiles
{
    public static LabeledImages Load(string imagesPath, string labelsPath, int classCount)
    {
        var images = IdxReader.ReadImages(imagesPath);
        if (images.Count == 0) throw new EmptyDatasetException(imagesPath);
        if (images.Rows != DatasetInfo.ImageSide || images.Cols != DatasetInfo.ImageSide)
            throw new IdxFormatException(imagesPath, $"images are {images.Rows}×{images.Cols}, but this network takes 28×28");
        var labels = IdxReader.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new IdxFormatException(labelsPath, $"{labels.Length} labels for {images.Count} images in {Path.GetFileName(imagesPath)}");
        int bad = Array.FindIndex(labels, l => l >= classCount);
        if (bad >= 0)
            throw new IdxFormatException(labelsPath, $"label {labels[bad]} at index {bad} is out of range 0–{classCount - 1}");
        return new LabeledImages(images.Pixels, labels);
    }
}

/// <summary>An IDX file that is not what its header promises, or not a dataset this network takes. The message names the file.</summary>
public sealed class IdxFormatException(string path, string problem, Exception? inner = null)
    : FileProblemException(path, problem, inner);

/// <summary>A well-formed IDX file of 0 images: nothing to train on or measure, refused when it is read (exit code 2).</summary>
public sealed class EmptyDatasetException(string path) : FileProblemException(path, "holds 0 images; a training or test set needs at least one");
