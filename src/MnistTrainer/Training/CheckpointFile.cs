using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MnistTrainer.Model;
using TorchSharp.Modules;

namespace MnistTrainer.Training;

/// <summary>An interrupted run: its settings, where it stopped, and the network's weights at that point.</summary>
public sealed record Checkpoint(string Dataset, int TrainCount, string ModelPath, TrainingOptions Options, TrainingState State, Sequential Network);

/// <summary>
/// The checkpoint file, written next to the model when a run is interrupted: a magic tag, the SHA-256
/// of everything after it, then a JSON header (settings and <see cref="TrainingState"/>) and the
/// weights in TorchSharp's format, as in <see cref="ModelFile"/>. Written atomically.
/// </summary>
public static class CheckpointFile
{
    static readonly byte[] Magic = "MNISTCKP"u8.ToArray();
    const int FormatVersion = 1;
    const int HashLength = 32;
    const int MaxHeaderBytes = 8 << 20; // room for the best epoch's and the averaged weights (about 0.6 MB each in base64)
    static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    sealed record Header(int FormatVersion, string Dataset, int TrainCount, string ModelPath, TrainingOptions Options, TrainingState State);

    public static string PathFor(string modelPath) => modelPath + ".ckpt";

    public static void Save(string path, Checkpoint checkpoint)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(FormatVersion, checkpoint.Dataset, checkpoint.TrainCount,
            checkpoint.ModelPath, checkpoint.Options, checkpoint.State), Json);
        var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(header.Length);
            writer.Write(header);
            checkpoint.Network.save(writer);
        }
        var hash = SHA256.HashData(body.ToArray());
        ModelFile.Writing(path, () => AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            stream.Write(hash);
            body.Position = 0;
            body.CopyTo(stream);
        }));
    }

    public static Checkpoint Load(string path)
    {
        var bytes = ModelFile.ReadAll(path, "checkpoint");
        int bodyStart = Magic.Length + HashLength;
        if (bytes.Length < bodyStart + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new ModelFileException(path, "not a MnistTrainer checkpoint (it does not start with the checkpoint tag)");
        if (!SHA256.HashData(bytes.AsSpan(bodyStart)).AsSpan().SequenceEqual(bytes.AsSpan(Magic.Length, HashLength)))
            throw new ModelFileException(path, "checkpoint is damaged or cut short (its checksum does not match)");

        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bodyStart));
        int headerStart = bodyStart + 4;
        if (headerLength <= 0 || headerLength > Math.Min(MaxHeaderBytes, bytes.Length - headerStart))
            throw new ModelFileException(path, "checkpoint header is damaged");
        var header = ParseHeader(path, bytes.AsSpan(headerStart, headerLength));

        var network = MnistNetwork.Create();
        int weightsStart = headerStart + headerLength;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, weightsStart, bytes.Length - weightsStart, writable: false));
            network.load(reader, strict: true);
            TrainingStateIO.CheckRestorable(header.State, header.Options, network);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new ModelFileException(path, $"checkpoint weights or training state cannot be restored ({e.Message})", e);
        }
        return new Checkpoint(header.Dataset, header.TrainCount, header.ModelPath, header.Options, header.State, network);
    }

    static Header ParseHeader(string path, ReadOnlySpan<byte> json)
    {
        Header? header;
        try { header = JsonSerializer.Deserialize<Header>(json, Json); }
        catch (JsonException e) { throw new ModelFileException(path, "checkpoint header is damaged (not valid JSON)", e); }
        if (header?.FormatVersion != FormatVersion)
            throw new ModelFileException(path, $"checkpoint format version {header?.FormatVersion} is not supported (this program reads version {FormatVersion})");
        var (options, state) = (header.Options, header.State);
        if (header.Dataset == null || header.ModelPath == null || options == null || state?.EpochLosses == null
            || state.ShuffleState == null || state.TorchRngState == null || state.OptimizerState == null)
            throw new ModelFileException(path, "checkpoint header is incomplete");
        int batches = options.BatchSize < 1 ? 0 : (header.TrainCount + options.BatchSize - 1) / options.BatchSize;
        if (options.Epochs < 1 || batches < 1 || state.Epoch < 1 || state.Epoch > options.Epochs
            || state.Batch < 0 || state.Batch >= batches || state.EpochLosses.Count != state.Epoch - 1)
            throw new ModelFileException(path, "checkpoint header does not describe a possible position in a run");
        return header;
    }
}
