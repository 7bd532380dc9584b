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
