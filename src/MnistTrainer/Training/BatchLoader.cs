using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using MnistTrainer.Data;
using MnistTrainer.Model;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// Makes the lesson's mini-batches (DataLoader with shuffle=True, then ToTensor + Normalize) from a
/// set held as bytes: the images a shuffled order picks are gathered and normalized, through a table
/// of the 256 possible values, straight into one float buffer that a tensor wraps without copying,
/// and their labels into another. A batch thus costs no tensor allocation and no torch operation;
/// done with torch operations (index_select, to float, three arithmetic passes) it took about as
/// long as a fifth of the training step.
/// </summary>
/// <remarks>
/// The tensors <see cref="Load"/> returns are overwritten by the next call: use them (forward and
/// backward) before loading the next batch. The floats are exactly those of
/// <see cref="InputNormalization.Apply"/>, which computes the table.
/// </remarks>
public sealed class BatchLoader : IDisposable
{
    const int Pixels = DatasetInfo.ImagePixels;
    static readonly float[] Normalized = InputNormalization.Table();

    readonly ImageTensors data;
    readonly int batchSize;
    readonly float[] imageBuffer;
    readonly long[] labelBuffer;
    readonly Tensor images;
    readonly Tensor labels;

    /// <param name="data">The set, as bytes.</param>
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
    /// The batch of the <paramref name="count"/> images whose indices are
    /// <paramref name="order"/>[<paramref name="start"/> …]: normalized images [count, 784] (float32)
    /// and labels [count] (int64). With an <paramref name="augmenter"/>, each image is first changed by it.
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

    /// <summary>How many images ahead <see cref="Load"/> asks the CPU to fetch.</summary>
    const int Lookahead = 4;

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
