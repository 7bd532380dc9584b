using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;
using MnistTrainer.Files;
using MnistTrainer.Training;

namespace MnistTrainer.Monitoring;

/// <summary>
/// A TensorBoard event file in <c>folder</c> (made if missing): per epoch the scalars named below, the step being
/// the epoch. <c>tensorboard --logdir DIR</c> shows them. The file is this run's own and is written through
/// <see cref="GrowingOutputFile"/> like every other output: always whole, even on a full disk.
/// </summary>
/// <remarks>
/// The format: TFRecords (length as u64, masked CRC-32C of the length, data, masked CRC-32C of the data), each an
/// Event protobuf: 1 wall_time (double), 2 step (int64), 3 file_version (string), 5 summary; Summary: 1 value
/// (repeated); Value: 1 tag (string), 2 simple_value (float).
/// </remarks>
public sealed class TensorBoardLog : IProgress<TrainingProgress>, IDisposable
{
    public const string TrainingLoss = "loss/training", ValidationLoss = "loss/validation", TestLoss = "loss/test",
        ValidationAccuracy = "accuracy/validation", TestAccuracy = "accuracy/test", LearningRate = "learning_rate";

    readonly GrowingOutputFile file;

    public TensorBoardLog(string folder)
    {
        FileFailure.Writing(folder, () => Directory.CreateDirectory(folder));
        var name = $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}";
        file = new GrowingOutputFile(Path.Combine(folder, name));
        file.Append(Record(Event(output => output.WriteString("brain.Event:2"), fileVersion: true)));
    }

    public void Report(TrainingProgress value)
    {
        // Epochs replayed on --resume are in the interrupted run's event file already: TensorBoard would show them twice.
        if (value is not EpochCompleted { Replayed: false } e) return;
        var scalars = new (string Tag, double? Value)[]
        {
            (TrainingLoss, e.AverageLoss), (ValidationLoss, e.ValidationLoss), (ValidationAccuracy, e.ValidationAccuracy),
            (TestLoss, e.TestLoss), (TestAccuracy, e.TestAccuracy), (LearningRate, e.LearningRate),
        };
        var records = new MemoryStream();
        foreach (var (tag, scalar) in scalars)
            if (scalar is double v) records.Write(Record(Event(output => WriteSummary(output, tag, (float)v), step: e.Epoch)));
        file.Append(records.ToArray());
    }

    public void Dispose() => file.Dispose();

    static byte[] Event(Action<CodedOutputStream> writeLast, long? step = null, bool fileVersion = false)
    {
        var data = new MemoryStream();
        var output = new CodedOutputStream(data);
        output.WriteTag(1, WireFormat.WireType.Fixed64);
        output.WriteDouble(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        if (step is long s)
        {
            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteInt64(s);
        }
        output.WriteTag(fileVersion ? 3 : 5, WireFormat.WireType.LengthDelimited);
        writeLast(output);
        output.Flush();
        return data.ToArray();
    }

    static void WriteSummary(CodedOutputStream output, string tag, float value)
    {
        var valueMessage = new MemoryStream();
        var inner = new CodedOutputStream(valueMessage);
        inner.WriteTag(1, WireFormat.WireType.LengthDelimited);
        inner.WriteString(tag);
        inner.WriteTag(2, WireFormat.WireType.Fixed32);
        inner.WriteFloat(value);
        inner.Flush();
        var summary = new MemoryStream();
        var outer = new CodedOutputStream(summary);
        outer.WriteTag(1, WireFormat.WireType.LengthDelimited);
        outer.WriteBytes(ByteString.CopyFrom(valueMessage.ToArray()));
        outer.Flush();
        output.WriteBytes(ByteString.CopyFrom(summary.ToArray()));
    }

    static byte[] Record(byte[] data)
    {
        var record = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc(record.AsSpan(0, 8)));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), MaskedCrc(data));
        return record;
    }

    static uint MaskedCrc(ReadOnlySpan<byte> bytes)
    {
        uint crc = ~0u;
        foreach (byte b in bytes) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
