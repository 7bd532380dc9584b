using System.IO.Compression;
using System.Text;

namespace MnistTrainer.Interop;

/// <summary>
/// PyTorch's torch.save format for a state_dict: a zip holding ARCHIVE/data.pkl (the pickled OrderedDict of tensors),
/// ARCHIVE/data/0, 1, … (the raw bytes of each tensor's storage), ARCHIVE/version and ARCHIVE/byteorder.
/// ARCHIVE is "archive" in current PyTorch and the file's name in older ones; readers take the folder holding data.pkl.
/// The pickle is read by <see cref="RestrictedUnpickler"/>, which runs nothing from it.
/// </summary>
public static class TorchSaveFormat
{
    const string ArchiveName = "archive";
    const int MaxEntryBytes = 64 << 20;
    static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero); // the same model gives the same file

    /// <summary>Writes float32 tensors (what <see cref="StateDict.Read"/> gives).</summary>
    public static void Write(Stream stream, IReadOnlyList<NamedTensor> tensors)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, "data.pkl", Pickle(tensors));
        Add(zip, "byteorder", "little"u8.ToArray());
        for (int i = 0; i < tensors.Count; i++) Add(zip, $"data/{i}", tensors[i].Bytes);
        Add(zip, "version", "3\n"u8.ToArray());
    }

    static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry($"{ArchiveName}/{name}", CompressionLevel.NoCompression);
        entry.LastWriteTime = FixedTime;
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>
    /// data.pkl with the opcodes torch.save itself uses (pickle protocol 2): an OrderedDict of name →
    /// torch._utils._rebuild_tensor_v2(storage, 0, shape, stride, False, OrderedDict()), each storage a persistent id
    /// ("storage", torch.FloatStorage, "i", "cpu", element count) for the archive's data/i.
    /// </summary>
    public static byte[] Pickle(IReadOnlyList<NamedTensor> tensors)
    {
        var bytes = new MemoryStream();
        using var pickle = new BinaryWriter(bytes); // little-endian, as pickle's binary integers are
        pickle.Write([0x80, 2]);                                        // PROTO 2
        EmptyOrderedDict(pickle);
        pickle.Write((byte)'(');                                        // MARK
        for (int i = 0; i < tensors.Count; i++)
        {
            var shape = tensors[i].Shape;
            String(pickle, tensors[i].Name);
            Global(pickle, "torch._utils", "_rebuild_tensor_v2");
            pickle.Write((byte)'(');                                    // MARK: the arguments
            pickle.Write((byte)'(');                                    // MARK: the persistent id
            String(pickle, "storage");
            Global(pickle, "torch", "FloatStorage");
            String(pickle, i.ToString());
            String(pickle, "cpu");
            Int(pickle, Product(shape));
            pickle.Write((byte)'t');                                    // TUPLE
            pickle.Write((byte)'Q');                                    // BINPERSID
            Int(pickle, 0);                                             // storage offset
            Tuple(pickle, shape);
            Tuple(pickle, shape.Select((_, k) => Product(shape.Skip(k + 1)))); // contiguous stride
            pickle.Write((byte)0x89);                                   // NEWFALSE: requires_grad
            EmptyOrderedDict(pickle);                                   // backward hooks
            pickle.Write((byte)'t');                                    // TUPLE
            pickle.Write((byte)'R');                                    // REDUCE
        }
        pickle.Write((byte)'u');                                        // SETITEMS
        pickle.Write((byte)'.');                                        // STOP
        pickle.Flush();
        return bytes.ToArray();
    }

    static long Product(IEnumerable<long> dimensions) => dimensions.Aggregate(1L, (product, d) => product * d);

    static void EmptyOrderedDict(BinaryWriter pickle)
    {
        Global(pickle, "collections", "OrderedDict");
        pickle.Write((byte)')');                                        // EMPTY_TUPLE
        pickle.Write((byte)'R');                                        // REDUCE
    }

    static void Global(BinaryWriter pickle, string module, string name)
    {
        pickle.Write((byte)'c');                                        // GLOBAL
        pickle.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    static void String(BinaryWriter pickle, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        pickle.Write((byte)'X');                                        // BINUNICODE: 4-byte length, then UTF-8
        pickle.Write(utf8.Length);
        pickle.Write(utf8);
    }

    static void Int(BinaryWriter pickle, long value)
    {
        pickle.Write((byte)'J');                                        // BININT: 4-byte signed
        pickle.Write(checked((int)value));
    }

    static void Tuple(BinaryWriter pickle, IEnumerable<long> values)
    {
        pickle.Write((byte)'(');                                        // MARK
        foreach (long value in values) Int(pickle, value);
        pickle.Write((byte)'t');                                        // TUPLE
    }

    /// <summary>Reads every tensor of the state_dict; throws <see cref="InvalidDataException"/> if the file is not one.</summary>
    public static IReadOnlyList<NamedTensor> Read(byte[] file)
    {
        using var zip = OpenZip(file);
        var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1) throw new InvalidDataException("is a zip file, but not one torch.save wrote (it has no ARCHIVE/data.pkl)");
        string prefix = pickles[0].FullName[..^"data.pkl".Length];
        var byteOrder = zip.GetEntry(prefix + "byteorder");
        if (byteOrder != null && Encoding.ASCII.GetString(ReadEntry(byteOrder)).Trim() != "little")
            throw new InvalidDataException("was saved on a big-endian machine; only little-endian files are read");

        var root = RestrictedUnpickler.Load(ReadEntry(pickles[0]));
        if (root is not OrderedDictionary<object, object?> stateDict)
            throw new InvalidDataException("holds a pickled object that is not a state_dict; save one with torch.save(model.state_dict(), PATH)");
        var storages = new Dictionary<string, byte[]>();
        byte[] Storage(string key)
        {
            if (!storages.TryGetValue(key, out var bytes))
                storages[key] = bytes = ReadEntry(zip.GetEntry($"{prefix}data/{key}") ?? throw new InvalidDataException($"is missing the tensor data {prefix}data/{key}"));
            return bytes;
        }
        return stateDict.Select(item => item is { Key: string name, Value: TensorReference tensor }
                ? ToNamedTensor(name, tensor, Storage(tensor.Storage.Key))
                : throw new InvalidDataException($"state_dict entry \"{item.Key}\" is not a tensor"))
            .ToList();
    }

    static ZipArchive OpenZip(byte[] file)
    {
        try { return new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read); }
        catch (InvalidDataException e) { throw new InvalidDataException($"is a damaged zip file ({e.Message})", e); }
    }

    static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxEntryBytes) throw new InvalidDataException($"{entry.FullName} is {entry.Length:N0} bytes, far more than the lesson's state_dict holds");
        var bytes = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"{entry.FullName} is damaged in the zip ({e.Message})", e);
        }
        return bytes;
    }

    static NamedTensor ToNamedTensor(string name, TensorReference tensor, byte[] storage)
    {
        var (dtype, size, _, _) = NamedTensor.DTypes.Single(d => d.Storage == tensor.Storage.StorageType); // the unpickler allows no other
        if (storage.Length != tensor.Storage.ElementCount * size)
            throw new InvalidDataException($"the storage of \"{name}\" has {storage.Length:N0} bytes, expected {tensor.Storage.ElementCount * size:N0}");
        return new NamedTensor(name, dtype, tensor.Shape, Gather(name, storage, size, tensor));
    }

    /// <summary>The tensor's elements in row-major order, read through its offset and strides (a state_dict's are usually contiguous).</summary>
    static byte[] Gather(string name, byte[] storage, int size, TensorReference tensor)
    {
        long count, last;
        try
        {
            count = tensor.Shape.Aggregate(1L, (product, d) => checked(product * d));
            last = checked(tensor.Offset + tensor.Shape.Zip(tensor.Stride, (d, s) => checked((d - 1) * s)).Sum());
        }
        catch (OverflowException) { throw new InvalidDataException($"\"{name}\" has an impossible shape"); }
        if (count == 0) return [];
        if (tensor.Offset < 0 || last >= storage.Length / size || count > MaxEntryBytes / size)
            throw new InvalidDataException($"\"{name}\" reaches past the end of its storage");

        var result = new byte[count * size];
        var index = new long[tensor.Shape.Length];
        for (long n = 0; n < count; n++)
        {
            long source = tensor.Offset;
            for (int k = 0; k < index.Length; k++) source += index[k] * tensor.Stride[k];
            Array.Copy(storage, source * size, result, n * size, size);
            for (int k = index.Length - 1; k >= 0 && ++index[k] == tensor.Shape[k]; k--) index[k] = 0;
        }
        return result;
    }
}
