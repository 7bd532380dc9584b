using System.IO.Compression;
using System.Text;

namespace MnistTrainer.Interop;

/// <summary>
/// PyTorch's torch.save format for a state_dict: a zip holding ARCHIVE/data.pkl (the pickled OrderedDict of tensors),
/// ARCHIVE/data/0, 1, … (the raw bytes of each tensor's storage), ARCHIVE/version and ARCHIVE/byteorder.
/// ARCHIVE is "archive" in current PyTorch and the file's name in older ones; readers take the folder holding data.pkl.
/// </summary>
public static class TorchSaveFormat
{
    const string ArchiveName = "archive";
    const int MaxEntryBytes = 64 << 20;
    static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero); // the same model gives the same file

    public static void Write(Stream stream, IReadOnlyList<NamedTensor> tensors)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, "data.pkl", StateDictPickle.Write(tensors));
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
        var (dtype, size) = TorchStorageTypes.ByName[tensor.Storage.StorageType];
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
