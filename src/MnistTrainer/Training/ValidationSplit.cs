using MnistTrainer.Data;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>Holds out part of the training images to measure the network on data it does not learn from.</summary>
public static class ValidationSplit
{
    /// <summary>
    /// <paramref name="count"/> images chosen by <paramref name="seed"/> as the validation set, the
    /// others (in their original order) as the training set.
    /// </summary>
    public static (LabeledImages Train, LabeledImages Validation) Split(LabeledImages all, int count, long seed)
    {
        if (count < 1 || count >= all.Count) throw new ArgumentOutOfRangeException(nameof(count));
        // A generator of its own, seeded apart from the shuffle's, so the split and the epochs' orders are unrelated.
        using var generator = new Generator((ulong)seed ^ 0x5A11D47E5A11D47E);
        using var order = randperm(all.Count, generator: generator);
        var held = new bool[all.Count];
        foreach (long index in order.data<long>().Take(count)) held[index] = true;
        return (Select(all, i => !held[i]), Select(all, i => held[i]));
    }

    static LabeledImages Select(LabeledImages all, Func<int, bool> keep)
    {
        var indices = Enumerable.Range(0, all.Count).Where(keep).ToArray();
        var pixels = new byte[indices.Length * DatasetInfo.ImagePixels];
        var labels = new byte[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            all.Image(indices[i]).CopyTo(pixels.AsSpan(i * DatasetInfo.ImagePixels));
            labels[i] = all.Labels[indices[i]];
        }
        return new LabeledImages(pixels, labels);
    }
}
