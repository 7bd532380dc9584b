using System.Buffers.Binary;
using System.Text;

namespace MnistTrainer.Tests.Monitoring;

/// <summary>
/// Reads a TensorBoard event file as TensorBoard does: TFRecords (length, masked CRC32C of the length,
/// data, masked CRC32C of the data), each an Event protobuf; the scalars' (tag, step, value) come out.
/// Written from the formats' specifications, independently of the writer under test.
/// </summary>
public static class TensorBoardEvents
{
    public sealed record Scalar(string Tag, long Step, float Value, double WallTime);

    /// <summary>The scalars of the file and its first record's file_version; throws when a record's checksum is wrong.</summary>
    public static (string? FileVersion, List<Scalar> Scalars) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var scalars = new List<Scalar>();
        string? version = null;
        int at = 0;
        while (at < bytes.Length)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            Check(bytes.AsSpan(at, 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)), "length");
            var data = bytes.AsSpan(at + 12, (int)length);
            Check(data, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length)), "data");
            at += 12 + (int)length + 4;
            ParseEvent(data.ToArray(), scalars, ref version);
        }
        return (version, scalars);
    }

    static void Check(ReadOnlySpan<byte> data, uint masked, string what)
    {
        uint crc = Crc32C(data);
        uint expected = ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
        if (expected != masked) throw new InvalidDataException($"the record's {what} CRC does not match");
    }

    static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    // Event: 1 wall_time (double), 2 step (int64), 3 file_version (string), 5 summary (Summary).
    // Summary: 1 value (repeated Value). Value: 1 tag (string), 2 simple_value (float).
    static void ParseEvent(byte[] data, List<Scalar> scalars, ref string? version)
    {
        double wallTime = 0;
        long step = 0;
        var values = new List<(string Tag, float Value)>();
        foreach (var (field, wire, value, bytes) in Fields(data))
        {
            if (field == 1 && wire == 1) wallTime = BitConverter.Int64BitsToDouble((long)value);
            else if (field == 2 && wire == 0) step = (long)value;
            else if (field == 3 && wire == 2) version = Encoding.UTF8.GetString(bytes!);
            else if (field == 5 && wire == 2)
                foreach (var (f, w, _, summaryValue) in Fields(bytes!))
                    if (f == 1 && w == 2)
                    {
                        string tag = "";
                        float simple = float.NaN;
                        foreach (var (vf, vw, vv, vb) in Fields(summaryValue!))
                            if (vf == 1 && vw == 2) tag = Encoding.UTF8.GetString(vb!);
                            else if (vf == 2 && vw == 5) simple = BitConverter.Int32BitsToSingle((int)vv);
                        values.Add((tag, simple));
                    }
        }
        scalars.AddRange(values.Select(v => new Scalar(v.Tag, step, v.Value, wallTime)));
    }

    static IEnumerable<(int Field, int Wire, ulong Value, byte[]? Bytes)> Fields(byte[] data)
    {
        int at = 0;
        while (at < data.Length)
        {
            ulong key = Varint(data, ref at);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, Varint(data, ref at), null); break;
                case 1: yield return (field, wire, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at)), null); at += 8; break;
                case 5: yield return (field, wire, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at)), null); at += 4; break;
                case 2:
                    int length = (int)Varint(data, ref at);
                    yield return (field, wire, 0, data.AsSpan(at, length).ToArray());
                    at += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
    }

    static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }
}
