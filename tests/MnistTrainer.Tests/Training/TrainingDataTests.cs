using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Training;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Training;

public class BatchLoaderTests
{
    /// <summary>Images whose pixels take every byte value, in a scrambled order, with labels 0–9.</summary>
    static LabeledImages Scrambled(int count)
    {
        var random = new Random(7);
        var pixels = new byte[count * DatasetInfo.ImagePixels];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        return new LabeledImages(pixels, labels);
    }

    [Fact]
    public void GivesTheSameBatchesAsIndexSelectAndNormalize()
    {
        // 150 images in batches of 64: two full batches and a last one of 22.
        using var data = new ImageTensors(Scrambled(150));
        using var loader = new BatchLoader(data, 64);
        using var order = randperm(150, generator: new Generator(3));

        for (int start = 0; start < 150; start += 64)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(64, 150 - start);
            var (images, labels) = loader.Load(order, start, count);

            var indices = order.narrow(0, start, count);
            var expectedImages = InputNormalization.Apply(data.Pixels.index_select(0, indices));
            var expectedLabels = data.Labels.index_select(0, indices);
            Assert.Equal(expectedImages.shape, images.shape);
            Assert.Equal(ScalarType.Float32, images.dtype);
            Assert.Equal(expectedImages.data<float>().ToArray(), images.data<float>().ToArray());
            Assert.Equal(expectedLabels.data<long>().ToArray(), labels.data<long>().ToArray());
        }
    }

    [Fact]
    public void TableIsWhatNormalizeMakesOfEachByte()
    {
        var table = InputNormalization.Table();
        Assert.Equal(256, table.Length);
        for (int b = 0; b < 256; b++)
            Assert.Equal(((float)b / 255f - 0.5f) / 0.5f, table[b]);
    }

    [Fact]
    public void RefusesABatchLargerThanItsBuffer()
    {
        using var data = new ImageTensors(Scrambled(100));
        using var loader = new BatchLoader(data, 32);
        using var order = arange(100, ScalarType.Int64);
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Load(order, 0, 33));
    }

    [Fact]
    public void ImageTensorsShareTheBytesInsteadOfCopyingThem()
    {
        var images = Scrambled(10);
        using var data = new ImageTensors(images);
        images.Pixels[5] ^= 0xFF;
        Assert.Equal(images.Pixels[5], data.Pixels.data<byte>()[0, 5]);
    }
}

public class ValidationSplitTests
{
    [Fact]
    public void Holds_out_the_asked_number_chosen_by_the_seed_and_keeps_every_image_once()
    {
        var all = RealDatasets.Mnist.Slice(0, 2000);
        var (train, validation) = ValidationSplit.Split(all, 300, seed: 4);
        var again = ValidationSplit.Split(all, 300, seed: 4).Validation;
        var other = ValidationSplit.Split(all, 300, seed: 5).Validation;

        Assert.Equal(1700, train.Count);
        Assert.Equal(300, validation.Count);
        Assert.Equal(validation.Pixels, again.Pixels);
        Assert.NotEqual(validation.Pixels, other.Pixels);
        // Every image ends up in exactly one of the two sets (compared as whole images with their label).
        static IEnumerable<string> Images(MnistTrainer.Data.LabeledImages set) =>
            Enumerable.Range(0, set.Count).Select(i => set.Labels[i] + Convert.ToHexString(set.Image(i)));
        Assert.Equal(Images(all).Order(), Images(train).Concat(Images(validation)).Order());
    }
}

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
