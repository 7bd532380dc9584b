using MnistTrainer.Training;

namespace MnistTrainer.Tests.Training;

public class ImageAugmenterTests
{
    const int Side = 28;

    /// <summary>A bright 4×4 square with its left column brighter, at (12, 12).</summary>
    static byte[] Square()
    {
        var image = new byte[Side * Side];
        for (int y = 12; y < 16; y++)
            for (int x = 12; x < 16; x++)
                image[y * Side + x] = (byte)(x == 12 ? 255 : 128);
        return image;
    }

    static (double X, double Y) CentreOfMass(ReadOnlySpan<byte> image)
    {
        double sum = 0, x = 0, y = 0;
        for (int i = 0; i < image.Length; i++) { sum += image[i]; x += image[i] * (i % Side); y += image[i] * (i / Side); }
        return (x / sum, y / sum);
    }

    [Fact]
    public void Shifts_by_at_most_two_pixels_without_losing_ink_and_the_same_batch_gets_the_same_shifts()
    {
        var square = Square();
        var (x0, y0) = CentreOfMass(square);
        var seen = new HashSet<(int, int)>();
        var augmenter = new ImageAugmenter(Augmentation.Shift, seed: 3);
        for (int batch = 0; batch < 200; batch++)
        {
            augmenter.StartBatch(epoch: 1, batch);
            var shifted = augmenter.Apply(square).ToArray();
            Assert.Equal(square.Sum(b => b), shifted.Sum(b => b));
            var (x, y) = CentreOfMass(shifted);
            var shift = ((int)Math.Round(x - x0), (int)Math.Round(y - y0));
            Assert.InRange(shift.Item1, -2, 2);
            Assert.InRange(shift.Item2, -2, 2);
            seen.Add(shift);

            augmenter.StartBatch(epoch: 1, batch);
            Assert.Equal(shifted, augmenter.Apply(square).ToArray());
        }
        Assert.Equal(25, seen.Count); // every shift of the 5 × 5 happens
    }

    [Fact]
    public void Shift_flip_mirrors_about_half_of_the_images_and_shift_never_does()
    {
        int Mirrored(Augmentation augmentation)
        {
            var augmenter = new ImageAugmenter(augmentation, seed: 5);
            int count = 0;
            for (int batch = 0; batch < 400; batch++)
            {
                augmenter.StartBatch(2, batch);
                var image = augmenter.Apply(Square()).ToArray();
                // The bright column is the square's left one; mirrored, it is its right one.
                int row = Enumerable.Range(0, Side).First(r => image.AsSpan(r * Side, Side).IndexOfAnyExcept((byte)0) >= 0);
                var line = image.AsSpan(row * Side, Side);
                if (line[line.LastIndexOfAnyExcept((byte)0)] == 255) count++;
            }
            return count;
        }
        Assert.Equal(0, Mirrored(Augmentation.Shift));
        Assert.InRange(Mirrored(Augmentation.ShiftFlip), 160, 240);
    }
}
