using MnistTrainer.Data;

namespace MnistTrainer.Tests.Data;

public sealed class DatasetFilesTests : IDisposable
{
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    string Images(byte[] bytes) => Idx.Write(temp.Path, "images.gz", Idx.Gzip(bytes));
    string Labels(byte[] bytes) => Idx.Write(temp.Path, "labels.gz", Idx.Gzip(bytes));

    [Fact]
    public void LoadsTheRealMnistTestSplit()
    {
        var split = DatasetFiles.Load(
            TestData.MnistSubsetFile(DatasetInfo.TestImagesFile),
            TestData.MnistSubsetFile(DatasetInfo.TestLabelsFile),
            DatasetInfo.Mnist.ClassCount);

        Assert.Equal(8_000, split.Count);
        Assert.Equal(7, split.Labels[0]);
        Assert.Equal(784, split.Image(7_999).Length);
    }

    [Fact]
    public void LoadsMatchingFiles()
    {
        var split = DatasetFiles.Load(Images(Idx.Images(3)), Labels(Idx.Labels(0, 9, 5)), 10);

        Assert.Equal([0, 9, 5], split.Labels);
        Assert.Equal(Idx.Images(3)[16..], split.Pixels);
    }

    [Theory]
    [InlineData(27, 28)]
    [InlineData(28, 27)]
    [InlineData(32, 32)]
    public void RejectsImagesThatAreNot28By28(int rows, int cols)
    {
        var images = Images(Idx.Images(2, rows, cols));

        var e = Assert.Throws<IdxFormatException>(() => DatasetFiles.Load(images, Labels(Idx.Labels(1, 2)), 10));

        Assert.Equal(images, e.FilePath);
        Assert.Contains($"{rows}×{cols}", e.Message);
    }

    [Fact]
    public void RejectsCountsThatDiffer()
    {
        var labels = Labels(Idx.Labels(1, 2));

        var e = Assert.Throws<IdxFormatException>(() => DatasetFiles.Load(Images(Idx.Images(3)), labels, 10));

        Assert.Equal(labels, e.FilePath);
        Assert.Contains("2 labels for 3 images", e.Message);
    }

    [Fact]
    public void RejectsALabelAboveTheLastClass()
    {
        var labels = Labels(Idx.Labels(9, 10, 3));

        var e = Assert.Throws<IdxFormatException>(() => DatasetFiles.Load(Images(Idx.Images(3)), labels, 10));

        Assert.Equal(labels, e.FilePath);
        Assert.Contains("label 10 at index 1 is out of range 0–9", e.Message);
    }

    [Fact]
    public void RejectsTheFilesSwapped()
    {
        var images = Images(Idx.Images(3));
        var labels = Labels(Idx.Labels(1, 2, 3));

        var e = Assert.Throws<IdxFormatException>(() => DatasetFiles.Load(labels, images, 10));

        Assert.Equal(labels, e.FilePath);
        Assert.Contains("this is an IDX label file", e.Message);
    }
}
