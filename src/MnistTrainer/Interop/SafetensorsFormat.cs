using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MnistTrainer.Interop;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>, then the raw bytes.
/// Loading one runs no code, which is why it is the default for <c>export</c>.
/// </summary>
public static class SafetensorsFormat
{
    const int MaxHeaderBytes = 100_000_000; // the limit the safetensors library itself sets
    const string MetadataKey = "__metadata__";

    /// <summary>Writes float32 tensors (what <see cref="StateDict.Read"/> gives).</summary>
    public static void Write(Stream stream, IReadOnlyList<NamedTensor> tensors)
    {
        var header = new JsonObject { [MetadataKey] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var tensor in tensors)
        {
            long end = offset + tensor.Bytes.Length;
            header[tensor.Name] = JsonSerializer.SerializeToNode(new { dtype = "F32", shape = tensor.Shape, data_offsets = new[] { offset, end } });
            offset = end;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padding = (8 - json.Length % 8) % 8; // spaces, so that the data starts 8-byte aligned, as the library writes it
        using var file = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        file.Write((ulong)(json.Length + padding));
        file.Write(json);
        file.Write("        "u8[..padding]);
        foreach (var tensor in tensors) file.Write(tensor.Bytes);
    }

    /// <summary>Reads every tensor; throws <see cref="InvalidDataException"/> if the file is not well-formed safetensors.</summary>
    public static IReadOnlyList<NamedTensor> Read(byte[] file)
    {
        if (file.Length < 8) throw new InvalidDataException("safetensors file is cut short (no header)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(file.Length - 8))
            throw new InvalidDataException("safetensors header is damaged or the file is cut short");
        var data = file.AsMemory(8 + (int)headerLength);

        JsonDocument header;
        try { header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength)); }
        catch (JsonException) { throw new InvalidDataException("safetensors header is not valid JSON"); }
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("safetensors header is not a JSON object");
            return header.RootElement.EnumerateObject()
                .Where(entry => entry.Name != MetadataKey)
                .Select(entry => ReadTensor(entry, data.Span))
                .ToList();
        }
    }

    static NamedTensor ReadTensor(JsonProperty entry, ReadOnlySpan<byte> data)
    {
        string name = entry.Name;
        try
        {
            var info = entry.Value;
            string code = info.GetProperty("dtype").GetString()!;
            var dtype = NamedTensor.DTypes.FirstOrDefault(d => d.Safetensors == code);
            if (dtype.DType == null) throw new InvalidDataException($"tensor \"{name}\" has unknown dtype {code}");
            long[] shape = info.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long[] offsets = info.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0) || offsets.Length != 2 || offsets[0] < 0 || offsets[0] > offsets[1] || offsets[1] > data.Length)
                throw new InvalidDataException($"tensor \"{name}\" has a damaged shape or offsets, or the file is cut short");
            long bytes = offsets[1] - offsets[0];
            if (bytes != shape.Aggregate((long)dtype.Size, (product, d) => checked(product * d)))
                throw new InvalidDataException($"tensor \"{name}\" has {bytes:N0} bytes, which does not fit shape [{string.Join(", ", shape)}] of {dtype.DType}");
            return new NamedTensor(name, dtype.DType, shape, data.Slice((int)offsets[0], (int)bytes).ToArray());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"safetensors header entry \"{name}\" is damaged ({e.Message})");
        }
    }
}
