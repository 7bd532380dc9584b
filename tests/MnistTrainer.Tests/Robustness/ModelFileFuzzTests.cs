using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// Thousands of damaged model and checkpoint files (fixed seeds): loading either works or throws the
/// project's own <see cref="FileProblemException"/>; never another exception, a crash or a huge allocation.
/// </summary>
public sealed class ModelFileFuzzTests : IDisposable
{
    const int Cases = 600;
    const int CasesThatReachTheLoader = 250;
    readonly TempFolder temp = new(inMemory: true);
    string folder => temp.Path;

    public void Dispose() => temp.Dispose();

    public enum Target
    {
        /// <summary>Damage anywhere; the weights' checksum catches most of it.</summary>
        Model,
        /// <summary>Damage in the weights with the checksum and length then made to match, so TorchSharp's loader itself meets the garbage.</summary>
        ModelWeightsWithMatchingChecksum,
        /// <summary>Damage anywhere in a checkpoint.</summary>
        Checkpoint,
        /// <summary>Damage in a checkpoint's weights with the checksum and length then made to match, so the state checks and the loader meet it.</summary>
        CheckpointWeightsWithMatchingChecksum,
    }

    static readonly Lazy<(byte[] Model, byte[] Checkpoint)> Valid = new(() =>
    {
        using var folder = new TempFolder();
        var model = BadModelFileTests.ValidModel(folder.Path);
        var path = folder["c.ckpt"];
        using (var network = Trainer.NewNetwork(2))
            CheckpointFile.Save(path, new Checkpoint("mnist", 640, new TrainingOptions(2, 0.01, 64, 2),
                RealState.Of(network, epoch: 1, batch: 3), network));
        return (model, File.ReadAllBytes(path));
    });

    [Theory]
    [InlineData(Target.Model)]
    [InlineData(Target.ModelWeightsWithMatchingChecksum)]
    [InlineData(Target.Checkpoint)]
    [InlineData(Target.CheckpointWeightsWithMatchingChecksum)]
    public void Damaged_files_only_ever_give_FileProblemException(Target target)
    {
        var failures = new List<string>();
        int cases = target is Target.Model or Target.Checkpoint ? Cases : CasesThatReachTheLoader;
        for (int seed = 0; seed < cases; seed++)
            if (Check(target, seed) is { } failure) failures.Add(failure);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    /// <summary>Seeds that once failed; add any new one here.</summary>
    [Theory]
    [InlineData(Target.Model, 0)]
    [InlineData(Target.Model, 109)] // a header that is not UTF-8, once an InvalidOperationException from System.Text.Json
    public void Regression_seeds(Target target, int seed) => Assert.Null(Check(target, seed));

    string? Check(Target target, int seed)
    {
        var (model, checkpoint) = Valid.Value;
        // Both are tagged files: tag, header length, JSON header, weights.
        int modelHeaderEnd = HeaderEnd(model), checkpointHeaderEnd = HeaderEnd(checkpoint);
        byte[] file = target switch
        {
            Target.Model => Mutator.Mutate(model, seed, modelHeaderEnd),
            Target.ModelWeightsWithMatchingChecksum => WithWeights(model, Mutator.Mutate(model[modelHeaderEnd..], seed, 200)),
            Target.Checkpoint => Mutator.Mutate(checkpoint, seed, checkpointHeaderEnd),
            _ => WithWeights(checkpoint, Mutator.Mutate(checkpoint[checkpointHeaderEnd..], seed, 200)),
        };
        var path = Path.Combine(folder, "fuzz");
        File.WriteAllBytes(path, file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (target is Target.Model or Target.ModelWeightsWithMatchingChecksum)
                ModelFile.Load(path).Dispose();
            else
                CheckpointFile.Load(path, _ => null).Network.Dispose();
        }
        catch (FileProblemException e) when (e.Message.StartsWith(path + ": ")) { }
        catch (Exception e)
        {
            return $"{target} seed {seed}: {e.GetType().Name}: {e.Message}";
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated > 64 << 20 ? $"{target} seed {seed}: allocated {allocated:N0} bytes" : null;
    }

    static int HeaderEnd(byte[] file) => 12 + BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(8));

    /// <summary>A model file or checkpoint with other weights, its header's length and checksum updated to match them.</summary>
    static byte[] WithWeights(byte[] model, byte[] weights)
    {
        var header = BadModelFileTests.WithHeader(model, h =>
        {
            var json = JsonNode.Parse(h)!;
            json["WeightsLength"] = weights.Length;
            json["WeightsSha256"] = Convert.ToHexString(SHA256.HashData(weights));
            return json.ToJsonString();
        });
        return [.. header.AsSpan(0, HeaderEnd(header)), .. weights];
    }
}
