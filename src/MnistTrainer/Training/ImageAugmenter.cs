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
        for (int y = 0; y < Side; y++)
        {
            int sourceY = y - dy;
            for (int x = 0; x < Side; x++)
            {
                int sourceX = (flip ? Side - 1 - x : x) - dx;
                scratch[y * Side + x] = sourceY is >= 0 and < Side && sourceX is >= 0 and < Side ? image[sourceY * Side + sourceX] : (byte)0;
            }
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
