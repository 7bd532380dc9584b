using MnistTrainer.Data;
using MnistTrainer.Files;

namespace MnistTrainer.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Writes the bytes as they are or gzipped, under a name that does not give away which.</summary>
    string Write(byte[] bytes, bool gzip, string name = "file") => Idx.Write(temp.Path, name, gzip ? Idx.Gzip(bytes) : bytes);

    [Fact]
    public void ReadsTheRealTestImages()
    {
        var images = IdxReader.ReadImages(TestData.MnistSubsetFile(DatasetInfo.TestImagesFile));

        Assert.Equal((8_000, 28, 28), (images.Count, images.Rows, images.Cols));
        Assert.Equal(8_000 * 784, images.Pixels.Length);
        Assert.Equal(18_454, images.Pixels.Take(784).Sum(p => p)); // the first image, a 7
        Assert.Equal(0, images.Pixels.Min());
        Assert.Equal(255, images.Pixels.Max());
    }

    [Fact]
    public void ReadsTheRealTestLabels()
    {
        var labels = IdxReader.ReadLabels(TestData.MnistSubsetFile(DatasetInfo.TestLabelsFile));

        Assert.Equal(8_000, labels.Length);
        Assert.Equal([7, 2, 1, 0, 4, 1, 4, 9, 5, 9], labels[..10]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), labels.Distinct().Order());
    }

    [Fact]
    public void PlainAndGzippedRealFilesReadTheSame()
    {
        var gzImages = TestData.MnistSubsetFile(DatasetInfo.TestImagesFile);
        var gzLabels = TestData.MnistSubsetFile(DatasetInfo.TestLabelsFile);
        var plainImages = Write(Idx.Gunzip(File.ReadAllBytes(gzImages)), gzip: false, "images");
        var plainLabels = Write(Idx.Gunzip(File.ReadAllBytes(gzLabels)), gzip: false, "labels");

        Assert.Equal(IdxReader.ReadImages(gzImages).Pixels, IdxReader.ReadImages(plainImages).Pixels);
        Assert.Equal(IdxReader.ReadLabels(gzLabels), IdxReader.ReadLabels(plainLabels));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsCraftedImages(bool gzip)
    {
        var images = IdxReader.ReadImages(Write(Idx.Images(3, rows: 2, cols: 5), gzip));

        Assert.Equal((3, 2, 5), (images.Count, images.Rows, images.Cols));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (byte)i), images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsCraftedLabels(bool gzip)
    {
        Assert.Equal([3, 1, 4, 1, 5], IdxReader.ReadLabels(Write(Idx.Labels(3, 1, 4, 1, 5), gzip)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsEmptySets(bool gzip)
    {
        Assert.Equal(0, IdxReader.ReadImages(Write(Idx.Images(0), gzip)).Count);
        Assert.Empty(IdxReader.ReadLabels(Write(Idx.Labels(), gzip, "labels")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsAnEmptyFile(bool gzip)
    {
        var path = Write([], gzip);

        AssertRejected(path, "file is empty", () => IdxReader.ReadImages(path));
        AssertRejected(path, "file is empty", () => IdxReader.ReadLabels(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsAHeaderCutShort(bool gzip)
    {
        var images = Write(Idx.Images(1)[..10], gzip, "images");
        var labels = Write(Idx.Labels(1)[..4], gzip, "labels");

        AssertRejected(images, "header cut short (10 of 16 bytes)", () => IdxReader.ReadImages(images));
        AssertRejected(labels, "header cut short (4 of 8 bytes)", () => IdxReader.ReadLabels(labels));
    }

    [Fact]
    public void RejectsAWrongMagicNumber()
    {
        var path = Write(Idx.Header(0x1234, 0, 28, 28), gzip: false);

        AssertRejected(path, "not an IDX image file (magic 4660, expected 2051)", () => IdxReader.ReadImages(path));
        AssertRejected(path, "not an IDX label file (magic 4660, expected 2049)", () => IdxReader.ReadLabels(path));
    }

    [Fact]
    public void RejectsLabelsGivenAsImagesAndImagesGivenAsLabels()
    {
        var images = Write(Idx.Images(2), gzip: true, "images");
        var labels = Write(Idx.Labels(1, 2), gzip: true, "labels");

        AssertRejected(labels, "this is an IDX label file", () => IdxReader.ReadImages(labels));
        AssertRejected(images, "this is an IDX image file", () => IdxReader.ReadLabels(images));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsDataShorterThanTheHeaderSays(bool gzip)
    {
        var images = Write(Idx.Images(3)[..^1], gzip, "images");
        var labels = Write(Idx.Labels(1, 2, 3)[..^1], gzip, "labels");

        AssertRejected(images, "data is shorter than the header says", () => IdxReader.ReadImages(images));
        AssertRejected(labels, "data is shorter than the header says", () => IdxReader.ReadLabels(labels));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsDataLongerThanTheHeaderSays(bool gzip)
    {
        var images = Write([.. Idx.Images(3), 0], gzip, "images");
        var labels = Write([.. Idx.Labels(1, 2, 3), 4], gzip, "labels");

        AssertRejected(images, "data is longer than the header says", () => IdxReader.ReadImages(images));
        AssertRejected(labels, "data is longer than the header says", () => IdxReader.ReadLabels(labels));
    }

    [Fact]
    public void ReadsGzipThatPacksFarMoreThanUsual()
    {
        // 3,000 blank images shrink about a thousandfold: more than the reader's first guess of the
        // final size, so the array has to grow as the data arrives.
        var blank = new byte[3000 * 784];
        var path = Write([.. Idx.Header(2051, 3000, 28, 28), .. blank], gzip: true);

        var images = IdxReader.ReadImages(path);

        Assert.Equal(3000, images.Count);
        Assert.Equal(blank, images.Pixels);
    }

    /// <summary>
    /// A header may declare more than any array can hold, or more than the file holds; either way the
    /// reader must refuse without first allocating what the header asks for.
    /// </summary>
    [Theory]
    [InlineData(int.MaxValue, false)]
    [InlineData(int.MaxValue, true)]
    [InlineData(2_000_000, false)]
    [InlineData(2_000_000, true)]
    public void RejectsAHugeImageCountWithoutAllocatingIt(int count, bool gzip)
    {
        var path = Write([.. Idx.Header(2051, count, 28, 28), .. new byte[784]], gzip);
        long before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsAHugeLabelCountWithoutAllocatingIt(bool gzip)
    {
        var path = Write([.. Idx.Header(2049, 2_000_000_000), 1, 2, 3], gzip);
        long before = GC.GetAllocatedBytesForCurrentThread();

        AssertRejected(path, "data is shorter than the header says", () => IdxReader.ReadLabels(path));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
    }

    [Fact]
    public void RejectsNegativeCounts()
    {
        var images = Write(Idx.Header(2051, -1, 28, 28), gzip: false, "images");
        var labels = Write(Idx.Header(2049, -1), gzip: false, "labels");

        AssertRejected(images, "negative image count -1", () => IdxReader.ReadImages(images));
        AssertRejected(labels, "negative label count -1", () => IdxReader.ReadLabels(labels));
    }

    [Theory]
    [InlineData(0, 28)]
    [InlineData(28, -1)]
    [InlineData(5000, 28)]
    public void RejectsAnImplausibleImageSize(int rows, int cols)
    {
        var path = Write(Idx.Header(2051, 0, rows, cols), gzip: false);

        AssertRejected(path, $"implausible image size {rows}×{cols}", () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void RejectsCorruptGzip()
    {
        var path = Write([0x1f, 0x8b, .. Enumerable.Repeat((byte)0x55, 100)], gzip: false);

        AssertRejected(path, "corrupt gzip data", () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void RejectsTruncatedGzip()
    {
        var gz = Idx.Gzip(Idx.Images(10));
        var path = Write(gz[..(gz.Length / 2)], gzip: false);

        // GZipStream treats a cut-off stream as its end, so the loss shows as missing data.
        AssertRejected(path, "data is shorter than the header says", () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void RejectsADirectory()
    {
        var path = temp["folder"];
        Directory.CreateDirectory(path);

        AssertRejected(path, "is a directory", () => IdxReader.ReadImages(path));
        AssertRejected(path, "is a directory", () => IdxReader.ReadLabels(path));
    }

    [Fact]
    public void RejectsAMissingFile()
    {
        var path = temp["missing"];

        AssertRejected(path, "file not found", () => IdxReader.ReadLabels(path));
    }

    /// <summary>The read fails with a <see cref="FileProblemException"/> that names the file and says <paramref name="problem"/>.</summary>
    static void AssertRejected(string path, string problem, Action read)
    {
        var e = Assert.ThrowsAny<FileProblemException>(read);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Message);
    }
}

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
