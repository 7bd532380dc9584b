using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MnistTrainer.Files;

/// <summary>
/// One kind of <see cref="TaggedFile"/>: its 8-byte tag, the format version this program writes and reads, and what
/// messages call it ("model" in "model header is damaged", "model file" in "not a MnistTrainer model file"), and how
/// large its JSON header may be before the file is taken as damaged. A format that <paramref name="RequiresHeaderChecksum"/>
/// refuses a file whose header has none (files written before it had one); every file written now has one.
/// </summary>
public sealed record TaggedFormat(string Tag, int Version, string Name, string Noun, int MaxHeaderBytes = 1 << 20, bool RequiresHeaderChecksum = false);

/// <summary>What a <see cref="TaggedFile"/> holds: the content of its header, and its weights (their length and checksum checked).</summary>
public sealed record TaggedFileContent<T>(T Header, byte[] File, int WeightsStart, int WeightsLength)
{
    public BinaryReader WeightsReader() => new(new MemoryStream(File, WeightsStart, WeightsLength, writable: false));
}

/// <summary>
/// The layout of model files and checkpoints: an 8-byte tag, the header's length (int32, little-endian), a JSON
/// header, then the network's weights in TorchSharp's format. The header holds "FormatVersion", the file's own
/// content (see <see cref="Model.ModelFile"/>, <see cref="Training.CheckpointFile"/>), then "WeightsLength" and
/// "WeightsSha256", and last "HeaderSha256", the SHA-256 of the header's bytes before it (closed with '}'): so a damaged,
/// truncated or edited file is refused with a clear message instead of loading garbage or acting on altered settings.
/// </summary>
public static partial class TaggedFile
{
    const long MaxFileBytes = 64 << 20; // a model is about 440 KB; a checkpoint not much more
    // A diverged run's losses are NaN, and its model must still be saved: the policy writes them as null.
    static readonly JsonSerializerOptions Json = JsonPolicy.FileHeader;

    public static void Write<T>(string path, TaggedFormat format, T content, Action<BinaryWriter> writeWeights)
    {
        var weights = new MemoryStream();
        using (var writer = new BinaryWriter(weights, Encoding.UTF8, leaveOpen: true))
            writeWeights(writer);
        var header = new JsonObject { ["FormatVersion"] = format.Version };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(content, Json)!.AsObject().ToList())
            header[name] = value?.DeepClone();
        header["WeightsLength"] = weights.Length;
        header["WeightsSha256"] = Convert.ToHexString(SHA256.HashData(weights.GetBuffer().AsSpan(0, (int)weights.Length)));
        var unsigned = header.ToJsonString(Json);
        var headerBytes = Encoding.UTF8.GetBytes($"{unsigned[..^1]},\"HeaderSha256\":\"{Sha256Of(unsigned)}\"}}");

        OutputFile.Write(path, stream =>
        {
            using var file = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            file.Write(Encoding.ASCII.GetBytes(format.Tag));
            file.Write(headerBytes.Length); // int32, little-endian
            file.Write(headerBytes);
            file.Write(weights.GetBuffer(), 0, (int)weights.Length);
        });
    }

    /// <summary>Reads and checks the layout; the caller checks the header's content and loads the weights.</summary>
    public static TaggedFileContent<T> Read<T>(string path, TaggedFormat format) where T : class
    {
        var bytes = InputFile.ReadAll(path, format.Noun, MaxFileBytes, $"far larger than any {format.Noun} of this program");
        var tag = Encoding.ASCII.GetBytes(format.Tag);
        if (bytes.Length == 0) throw new DamagedFileException(path, "file is empty");
        if (bytes.Length < tag.Length + 4 || !bytes.AsSpan(0, tag.Length).SequenceEqual(tag))
            throw new DamagedFileException(path, $"not a MnistTrainer {format.Noun} (it does not start with the {format.Name} tag)");
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(tag.Length));
        int headerStart = tag.Length + 4;
        if (headerLength <= 0 || headerLength > format.MaxHeaderBytes || headerLength > bytes.Length - headerStart)
            throw Damaged(path, format, "header is damaged or the file is cut short");

        CheckHeaderChecksum(path, format, Encoding.UTF8.GetString(bytes, headerStart, headerLength));
        T? content;
        long? version, weightsLength;
        string? sha256 = null;
        try
        {
            var header = JsonNode.Parse(bytes.AsSpan(headerStart, headerLength)) as JsonObject
                ?? throw Damaged(path, format, "header is damaged (not a JSON object)");
            content = header.Deserialize<T>(Json);
            (version, weightsLength) = (Number(header, "FormatVersion"), Number(header, "WeightsLength"));
            if (header["WeightsSha256"] is JsonValue value) value.TryGetValue(out sha256);
        }
        // ArgumentException: a property named twice; InvalidOperationException: a string that is not UTF-8.
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException) { throw Damaged(path, format, "header is damaged (not valid JSON)", e); }
        if (version == null || weightsLength == null || sha256 == null || content == null)
            throw Damaged(path, format, "header is incomplete");
        if (version != format.Version)
            throw Damaged(path, format, $"format version {version} is not supported (this program reads version {format.Version})");

        int weightsStart = headerStart + headerLength;
        int weightsLengthFound = bytes.Length - weightsStart;
        if (weightsLengthFound != weightsLength)
            throw new DamagedFileException(path, weightsLengthFound < weightsLength
                ? $"file is cut short: {weightsLengthFound:N0} of {weightsLength:N0} weight bytes"
                : "file has extra bytes after the weights");
        if (!string.Equals(Convert.ToHexString(SHA256.HashData(bytes.AsSpan(weightsStart))), sha256, StringComparison.OrdinalIgnoreCase))
            throw new DamagedFileException(path, "weights are damaged (their checksum does not match)");
        return new TaggedFileContent<T>(content, bytes, weightsStart, weightsLengthFound);
    }

    [GeneratedRegex("""^(?<signed>.*),"HeaderSha256":"(?<sha256>[0-9A-F]{64})"}$""", RegexOptions.Singleline)]
    private static partial Regex SignedHeader();

    static string Sha256Of(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    static void CheckHeaderChecksum(string path, TaggedFormat format, string header)
    {
        var match = SignedHeader().Match(header);
        if (!match.Success)
        {
            if (format.RequiresHeaderChecksum) throw Damaged(path, format, "header has no checksum (it was altered, or written by an older version)");
            return;
        }
        if (Sha256Of(match.Groups["signed"].Value + "}") != match.Groups["sha256"].Value)
            throw Damaged(path, format, "header is damaged or was edited (its checksum does not match)");
    }

    static DamagedFileException Damaged(string path, TaggedFormat format, string problem, Exception? inner = null) =>
        new(path, $"{format.Name} {problem}", inner);

    static long? Number(JsonObject header, string name) =>
        header[name] is JsonValue value && value.TryGetValue(out long number) ? number : null;
}
