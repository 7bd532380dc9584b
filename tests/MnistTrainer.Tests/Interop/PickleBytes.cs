using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MnistTrainer.Tests.Interop;

/// <summary>Builds small pickles opcode by opcode, and torch.save-style zips around them: what an odd or hostile file could hold.</summary>
public sealed class PickleBytes
{
    readonly List<byte> _bytes = [0x80, 2]; // PROTO 2

    public PickleBytes Op(char opcode) => Op((byte)opcode);

    public PickleBytes Op(byte opcode)
    {
        _bytes.Add(opcode);
        return this;
    }

    public PickleBytes Global(string module, string name)
    {
        _bytes.Add((byte)'c');
        _bytes.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        return this;
    }

    public PickleBytes String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        _bytes.Add((byte)'X');
        _bytes.AddRange(BitConverter.GetBytes(bytes.Length));
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleBytes Int(int value)
    {
        _bytes.Add((byte)'J');
        _bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    public PickleBytes EmptyOrderedDict() => Global("collections", "OrderedDict").Op(')').Op('R');

    public PickleBytes IntTuple(params int[] values)
    {
        Op('(');
        foreach (int value in values) Int(value);
        return Op('t');
    }

    /// <summary>name → _rebuild_tensor_v2(storage data/key of count floats, offset, shape, stride, False, OrderedDict()), as torch.save writes it.</summary>
    public PickleBytes Tensor(string name, string key, int count, int offset, int[] shape, int[] stride, string storageType = "FloatStorage")
    {
        String(name).Global("torch._utils", "_rebuild_tensor_v2").Op('(');
        Op('(').String("storage").Global("torch", storageType).String(key).String("cpu").Int(count).Op('t').Op('Q');
        return Int(offset).IntTuple(shape).IntTuple(stride).Op(0x89).EmptyOrderedDict().Op('t').Op('R');
    }

    public byte[] Stop() => [.. _bytes, (byte)'.'];

    /// <summary>A zip laid out as torch.save lays it out, with this data.pkl and these storages.</summary>
    public static byte[] TorchSaveZip(byte[] dataPkl, params (string Key, float[] Values)[] storages)
    {
        var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "archive/data.pkl", dataPkl);
            foreach (var (key, values) in storages)
            {
                var bytes = new byte[values.Length * 4];
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
                Add(zip, $"archive/data/{key}", bytes);
            }
            Add(zip, "archive/version", "3\n"u8.ToArray());
        }
        return file.ToArray();
    }

    static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }
}
