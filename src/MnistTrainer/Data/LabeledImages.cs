namespace MnistTrainer.Data;

/// <summary>
/// 28×28 grayscale images as raw bytes (0–255, row-major, one image after another) with their labels.
/// Kept as bytes, a quarter of the size of floats; normalization happens per batch.
/// </summary>
public sealed class LabeledImages
{
    public LabeledImages(byte[] pixels, byte[] labels)
    {
        if (pixels.Length != labels.Length * DatasetInfo.ImagePixels)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not make {labels.Length} images of 28×28");
        Pixels = pixels;
        Labels = labels;
    }

    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Count => Labels.Length;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * DatasetInfo.ImagePixels, DatasetInfo.ImagePixels);

    /// <summary>A copy of images [start, start + count).</summary>
    public LabeledImages Slice(int start, int count) => new(
        Pixels.AsSpan(start * DatasetInfo.ImagePixels, count * DatasetInfo.ImagePixels).ToArray(),
        Labels.AsSpan(start, count).ToArray());
}
