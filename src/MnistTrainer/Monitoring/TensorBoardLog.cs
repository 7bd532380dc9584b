using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;
using MnistTrainer.Files;
using MnistTrainer.Monitoring.TensorBoard;
using MnistTrainer.Training;

namespace MnistTrainer.Monitoring;

/// <summary>
/// A TensorBoard event file in <c>folder</c> (made if missing): per epoch the scalars named below, the step being
/// the epoch. <c>tensorboard --logdir DIR</c> shows them. The file is this run's own and is written through
/// <see cref="GrowingOutputFile"/> like every other output: always whole, even on a full disk.
/// </summary>
/// <remarks>
/// The format: TFRecords (length as u64, masked CRC-32C of the length, data, masked CRC-32C of the data), each an
/// Event protobuf (tensorboard.proto beside this file).
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
        file.Append(Record(new Event { WallTime = Now(), FileVersion = "brain.Event:2" }));
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
        {
            if (scalar is not double v) continue;
            var summary = new Summary { Value = { new Summary.Types.Value { Tag = tag, SimpleValue = (float)v } } };
            records.Write(Record(new Event { WallTime = Now(), Step = e.Epoch, Summary = summary }));
        }
        file.Append(records.ToArray());
    }

    public void Dispose() => file.Dispose();

    static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    static byte[] Record(Event message)
    {
        var data = message.ToByteArray();
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
