using MnistTrainer.Data;

namespace MnistTrainer.Training;

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
    public const int MaxShift = 2;
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
