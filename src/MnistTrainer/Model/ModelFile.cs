using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp.Modules;

namespace MnistTrainer.Model;

/// <summary>A trained network with its metadata.</summary>
public sealed record TrainedModel(Sequential Network, ModelMetadata Metadata) : IDisposable
{
    public void Dispose() => Network.Dispose();
}

/// <summary>
/// The model file: a magic tag, a JSON header (metadata, the length and SHA-256 of the weights), then
/// the weights in TorchSharp's own format. The hash lets a damaged or truncated file be refused with
/// a clear message instead of loading garbage weights.
/// </summary>
public static class ModelFile
{
    static readonly byte[] Magic = "MNISTMDL"u8.ToArray();
    const int FormatVersion = 1;
    const int MaxHeaderBytes = 1 << 20;
    // Named literals: a diverged run's losses are NaN, and its model must still be saved.
    static readonly JsonSerializerOptions Json = new() { WriteIndented = false, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    sealed record Header(int FormatVersion, ModelMetadata Metadata, long WeightsLength, string WeightsSha256);

    public static void Save(string path, Sequential network, ModelMetadata metadata)
    {
        var weights = new MemoryStream();
        using (var writer = new BinaryWriter(weights, Encoding.UTF8, leaveOpen: true))
            network.save(writer);
        var header = new Header(FormatVersion, metadata, weights.Length, Convert.ToHexString(SHA256.HashData(weights.ToArray())));
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        Writing(path, () => AtomicFile.Write(path, stream =>
            {
                stream.Write(Magic);
                Span<byte> length = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(length, headerBytes.Length);
                stream.Write(length);
                stream.Write(headerBytes);
                weights.Position = 0;
                weights.CopyTo(stream);
            }));
    }

    /// <summary>Checks before a long run that the model can be saved at <paramref name="path"/> (see <see cref="AtomicFile.CheckWritable"/>).</summary>
    public static void CheckCanSave(string path) => Writing(path, () => AtomicFile.CheckWritable(path));

    /// <summary>Runs a file-system write, turning its failure into a clear message that names the file.</summary>
    internal static void Writing(string path, Action write)
    {
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, $"cannot be written ({AtomicFile.WriteFailure(e)}); any previous file there is unchanged", e);
        }
    }

    public static TrainedModel Load(string path)
    {
        byte[] bytes = ReadAll(path);
        if (bytes.Length == 0) throw new ModelFileException(path, "file is empty");
        if (bytes.Length < Magic.Length + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new ModelFileException(path, "not a MnistTrainer model file (it does not start with the model tag)");
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length));
        int headerStart = Magic.Length + 4;
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerStart + headerLength > bytes.Length)
            throw new ModelFileException(path, "model header is damaged or the file is cut short");

        var header = ParseHeader(path, bytes.AsSpan(headerStart, headerLength));
        var metadata = header.Metadata;
        if (!metadata.LayerSizes.SequenceEqual(MnistNetwork.LayerSizes))
            throw new ModelFileException(path, $"model has layers {string.Join("-", metadata.LayerSizes)}, this program's network is {string.Join("-", MnistNetwork.LayerSizes)}");
        if (metadata.ClassNames.Count != MnistNetwork.LayerSizes[^1])
            throw new ModelFileException(path, $"model names {metadata.ClassNames.Count} classes for {MnistNetwork.LayerSizes[^1]} outputs");

        int weightsStart = headerStart + headerLength;
        var weights = bytes.AsMemory(weightsStart);
        if (weights.Length != header.WeightsLength)
            throw new ModelFileException(path, weights.Length < header.WeightsLength
                ? $"file is cut short: {weights.Length:N0} of {header.WeightsLength:N0} weight bytes"
                : "file has extra bytes after the weights");
        if (!string.Equals(Convert.ToHexString(SHA256.HashData(weights.Span)), header.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelFileException(path, "weights are damaged (their checksum does not match)");

        var network = MnistNetwork.Create();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, weightsStart, weights.Length, writable: false));
            network.load(reader, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new ModelFileException(path, $"weights do not fit the network ({e.Message})", e);
        }
        return new TrainedModel(network, metadata);
    }

    internal static byte[] ReadAll(string path, string kind = "model file")
    {
        string notFound = kind == "model file" ? "model file not found (train one with: train --output PATH)" : $"{kind} not found";
        try
        {
            if (Directory.Exists(path)) throw new ModelFileException(path, $"is a directory, not a {kind}");
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException) { throw new ModelFileException(path, notFound); }
        catch (DirectoryNotFoundException) { throw new ModelFileException(path, notFound); }
        catch (UnauthorizedAccessException e) { throw new ModelFileException(path, "permission denied", e); }
        catch (IOException e) { throw new ModelFileException(path, $"cannot be read ({e.Message})", e); }
    }

    static Header ParseHeader(string path, ReadOnlySpan<byte> json)
    {
        Header? header;
        try { header = JsonSerializer.Deserialize<Header>(json, Json); }
        catch (JsonException e) { throw new ModelFileException(path, "model header is damaged (not valid JSON)", e); }
        if (header?.Metadata?.LayerSizes == null || header.Metadata.ClassNames == null || header.WeightsSha256 == null)
            throw new ModelFileException(path, "model header is incomplete");
        if (header.FormatVersion != FormatVersion)
            throw new ModelFileException(path, $"model format version {header.FormatVersion} is not supported (this program reads version {FormatVersion})");
        return header;
    }
}
