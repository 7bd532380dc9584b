using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using MnistTrainer.Data;
using MnistTrainer.Model;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// A set of images as tensors: the pixels stay bytes ([N, 784], uint8, a quarter of the float size) and are normalized
/// batch by batch; labels are int64 as NLLLoss wants them. <see cref="Pixels"/> shares the memory of
/// <see cref="LabeledImages.Pixels"/> instead of copying it (the array stays pinned while the tensor lives).
/// </summary>
public sealed class ImageTensors : IDisposable
{
    public ImageTensors(LabeledImages images)
    {
        Count = images.Count;
        using (var flat = from_array(images.Pixels))
            Pixels = flat.view(Count, DatasetInfo.ImagePixels);
        using (var bytes = tensor(images.Labels, [Count]))
            Labels = bytes.to_type(ScalarType.Int64);
    }

    public int Count { get; }
    public Tensor Pixels { get; }
    public Tensor Labels { get; }

    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
    }
}

/// <summary>Holds out part of the training images to measure the network on data it does not learn from.</summary>
public static class ValidationSplit
{
    /// <summary><paramref name="count"/> images chosen by <paramref name="seed"/> as the validation set, the others (in their order) as the training set.</summary>
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
        for (int i = 0; i < indices.Length; i++)
            all.Image(indices[i]).CopyTo(pixels.AsSpan(i * DatasetInfo.ImagePixels));
        return new LabeledImages(pixels, [.. indices.Select(i => all.Labels[i])]);
    }
}

/// <summary>
/// Makes the lesson's mini-batches (DataLoader with shuffle=True, then ToTensor + Normalize) from a set held as bytes:
/// the images a shuffled order picks are normalized, exactly as <see cref="InputNormalization.Apply"/> does, straight
/// into one float buffer that a tensor wraps without copying, and their labels into another. A batch thus costs no tensor
/// allocation and no torch operation; done with torch operations (index_select, to float, three arithmetic passes) it
/// took about as long as a fifth of the training step. The tensors <see cref="Load"/> returns are overwritten by the
/// next call.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    const int Pixels = DatasetInfo.ImagePixels;
    /// <summary>How many images ahead <see cref="Load"/> asks the CPU to fetch.</summary>
    const int Lookahead = 4;
    static readonly float[] Normalized = InputNormalization.Table();

    readonly ImageTensors data;
    readonly int batchSize;
    readonly float[] imageBuffer;
    readonly long[] labelBuffer;
    readonly Tensor images;
    readonly Tensor labels;

    /// <param name="batchSize">The largest batch <see cref="Load"/> will be asked for.</param>
    public BatchLoader(ImageTensors data, int batchSize)
    {
        this.data = data;
        this.batchSize = batchSize;
        imageBuffer = new float[batchSize * Pixels];
        labelBuffer = new long[batchSize];
        using (var flat = from_array(imageBuffer))
            images = flat.view(batchSize, Pixels).DetachFromDisposeScope();
        labels = from_array(labelBuffer).DetachFromDisposeScope();
    }

    /// <summary>
    /// The images <paramref name="order"/>[<paramref name="start"/> …] normalized, [count, 784] (float32), and their
    /// labels [count] (int64); with an <paramref name="augmenter"/>, each image is first changed by it.
    /// </summary>
    public (Tensor Images, Tensor Labels) Load(Tensor order, int start, int count, ImageAugmenter? augmenter = null)
    {
        if (count < 1 || count > batchSize) throw new ArgumentOutOfRangeException(nameof(count));
        ReadOnlySpan<long> indices = MemoryMarshal.Cast<byte, long>(order.bytes).Slice(start, count);
        ReadOnlySpan<byte> pixels = data.Pixels.bytes;
        ReadOnlySpan<long> allLabels = MemoryMarshal.Cast<byte, long>(data.Labels.bytes);
        ReadOnlySpan<float> table = Normalized;
        for (int i = 0; i < count; i++)
        {
            int index = checked((int)indices[i]);
            if (i + Lookahead < count) Prefetch(pixels, checked((int)indices[i + Lookahead]) * Pixels);
            var image = pixels.Slice(index * Pixels, Pixels);
            if (augmenter != null) image = augmenter.Apply(image);
            Normalize(image, imageBuffer.AsSpan(i * Pixels, Pixels), table);
            labelBuffer[i] = allLabels[index];
        }
        return count == batchSize ? (images, labels) : (images.narrow(0, 0, count), labels.narrow(0, 0, count));
    }

    /// <summary>
    /// Asks the CPU to bring an image's 784 bytes into the cache. The images of a batch lie at random
    /// places in 47 MB, so each would otherwise be a wait for main memory, one after the other.
    /// </summary>
    static unsafe void Prefetch(ReadOnlySpan<byte> pixels, int offset)
    {
        if (!Sse.IsSupported) return;
        fixed (byte* image = pixels.Slice(offset, Pixels))
            for (int line = 0; line < Pixels; line += 64)
                Sse.Prefetch0(image + line);
    }

    /// <summary>
    /// target[j] = table[source[j]]: computed for whole vectors of bytes as (b / 255 − 0.5) / 0.5 in
    /// float32, the same IEEE operations as <see cref="InputNormalization.Apply"/> and so the same floats
    /// (BatchLoaderTests checks every byte value), several times faster than a lookup per byte; the
    /// table does the rest, without bounds checks (the spans' lengths are checked once).
    /// </summary>
    static void Normalize(ReadOnlySpan<byte> source, Span<float> target, ReadOnlySpan<float> table)
    {
        if (source.Length != target.Length || table.Length != 256) throw new ArgumentException("mismatched spans");
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(255f);
            var mean = new Vector<float>((float)InputNormalization.Mean);
            var std = new Vector<float>((float)InputNormalization.Std);
            var floats = MemoryMarshal.Cast<float, Vector<float>>(target);
            for (; j + Vector<byte>.Count <= source.Length; j += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(source.Slice(j)), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                int k = j / Vector<float>.Count; // j counts whole vectors of bytes, each four vectors of floats
                floats[k] = (Vector.ConvertToSingle(a) / scale - mean) / std;
                floats[k + 1] = (Vector.ConvertToSingle(b) / scale - mean) / std;
                floats[k + 2] = (Vector.ConvertToSingle(c) / scale - mean) / std;
                floats[k + 3] = (Vector.ConvertToSingle(d) / scale - mean) / std;
            }
        }
        ref byte s = ref MemoryMarshal.GetReference(source);
        ref float t = ref MemoryMarshal.GetReference(target);
        ref float lut = ref MemoryMarshal.GetReference(table);
        for (; j < target.Length; j++)
            Unsafe.Add(ref t, j) = Unsafe.Add(ref lut, Unsafe.Add(ref s, j));
    }

    public void Dispose()
    {
        images.Dispose();
        labels.Dispose();
    }
}

/// <summary>
/// Random changes to training images, as bytes before normalization: a shift of up to
/// <see cref="MaxShift"/> pixels in each direction (the uncovered edge is background, 0) and, for
/// <see cref="Augmentation.ShiftFlip"/>, a left-right mirror half of the time.
/// </summary>
/// <remarks>
/// The random numbers of a batch come from the seed, the epoch and the batch alone, so a resumed run
/// draws the same ones without any generator state in the checkpoint.
/// </remarks>
public sealed class ImageAugmenter(Augmentation augmentation, long seed)
{
    const int MaxShift = 2;
    const int Side = DatasetInfo.ImageSide;
    readonly byte[] scratch = new byte[Side * Side];
    ulong state;

    public void StartBatch(int epoch, int batch) => state = Mix((ulong)seed ^ Mix(((ulong)(uint)epoch << 32) | (uint)batch));

    /// <summary>The changed image, in a buffer that the next call overwrites.</summary>
    public ReadOnlySpan<byte> Apply(ReadOnlySpan<byte> image)
    {
        int dx = Next(2 * MaxShift + 1) - MaxShift, dy = Next(2 * MaxShift + 1) - MaxShift;
        bool flip = augmentation == Augmentation.ShiftFlip && Next(2) == 1;
        // Pixel (x, y) comes from (x − dx, y − dy) of the image, or mirrored from (Side − 1 − x − dx, y − dy);
        // the uncovered edge is background. Row by row: a copy of the part that stays in the picture.
        Span<byte> mirrored = stackalloc byte[Side];
        int width = Side - Math.Abs(dx);
        Array.Clear(scratch);
        for (int y = Math.Max(0, dy); y < Math.Min(Side, Side + dy); y++)
        {
            var row = image.Slice((y - dy) * Side, Side);
            var target = scratch.AsSpan(y * Side, Side);
            if (flip)
            {
                row.CopyTo(mirrored);
                mirrored.Reverse(); // mirrored[i] = row[Side − 1 − i], and pixel x comes from mirrored[x + dx]
                mirrored.Slice(Math.Max(0, dx), width).CopyTo(target.Slice(Math.Max(0, -dx)));
            }
            else row.Slice(Math.Max(0, -dx), width).CopyTo(target.Slice(Math.Max(0, dx)));
        }
        return scratch;
    }

    int Next(int bound)
    {
        state += 0x9E3779B97F4A7C15;
        return (int)(Mix(state) % (ulong)bound);
    }

    /// <summary>SplitMix64's finalizer: a well-mixed 64-bit value from any input.</summary>
    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
