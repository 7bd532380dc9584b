using MnistTrainer.Data;
using MnistTrainer.Tests.Data;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// Thousands of damaged IDX files (fixed seeds): the reader either reads them or throws its own
/// <see cref="IdxFormatException"/>; never another exception, a hang or a huge allocation.
/// </summary>
public sealed class IdxReaderFuzzTests : IDisposable
{
    const int Cases = 1500;
    readonly TempFolder temp = new(inMemory: true);
    string folder => temp.Path;

    public void Dispose() => temp.Dispose();

    static readonly Lazy<(byte[] Images, byte[] Labels)> Valid = new(() =>
    {
        var images = MiniDataset.MadeUp(20);
        return (Idx.Images(images), Idx.Labels(images));
    });

    public enum Target { Images, Labels, GzipImagesDamagedInside, GzipLabelsDamagedInside, GzipImagesDamagedOutside }

    [Theory]
    [InlineData(Target.Images)]
    [InlineData(Target.Labels)]
    [InlineData(Target.GzipImagesDamagedInside)]
    [InlineData(Target.GzipLabelsDamagedInside)]
    [InlineData(Target.GzipImagesDamagedOutside)]
    public void Damaged_files_only_ever_give_IdxFormatException(Target target)
    {
        var failures = new List<string>();
        for (int seed = 0; seed < Cases; seed++)
            if (Check(target, seed) is { } failure) failures.Add(failure);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    /// <summary>Seeds that once failed (none so far); add any new one here.</summary>
    [Theory]
    [InlineData(Target.Images, 0)]
    public void Regression_seeds(Target target, int seed) => Assert.Null(Check(target, seed));

    string? Check(Target target, int seed)
    {
        var (images, labels) = Valid.Value;
        bool isImages = target is Target.Images or Target.GzipImagesDamagedInside or Target.GzipImagesDamagedOutside;
        var valid = isImages ? images : labels;
        byte[] file = target switch
        {
            Target.Images or Target.Labels => Mutator.Mutate(valid, seed, isImages ? 16 : 8),
            Target.GzipImagesDamagedOutside => Mutator.Mutate(Idx.Gzip(valid), seed, 10),
            _ => Idx.Gzip(Mutator.Mutate(valid, seed, isImages ? 16 : 8)),
        };
        var path = Path.Combine(folder, "fuzz");
        File.WriteAllBytes(path, file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (isImages) IdxReader.ReadImages(path);
            else IdxReader.ReadLabels(path);
        }
        catch (IdxFormatException e) when (e.Message.StartsWith(path + ": ") && !e.Message.Contains('\n')) { }
        catch (Exception e)
        {
            return $"{target} seed {seed}: {e.GetType().Name}: {e.Message}";
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated > 16 << 20 ? $"{target} seed {seed}: allocated {allocated:N0} bytes" : null;
    }
}
