using System.Runtime.Versioning;
using MnistTrainer.Cli;
using MnistTrainer.Tests.Data;
using static MnistTrainer.Tests.Robustness.MiniDataset;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// Broken IDX files fed through the real <c>train</c> command: one clear line naming the file, exit
/// code 3 (data), and the model already at the output path left as it was.
/// </summary>
public sealed class BadIdxFileTests : IDisposable
{
    readonly MiniDataset data = new();
    readonly string output;

    public BadIdxFileTests() => output = data.PlantOldModel();

    public void Dispose() => data.Dispose();

    void AssertDataError(string brokenFile, params string[] mustContain)
    {
        var result = CliRun.Of(data.TrainArgs(output));
        result.AssertOneClearError(ExitCodes.DataError, [data.PathOf(brokenFile), .. mustContain]);
        Assert.Equal(OldModel, File.ReadAllBytes(output));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public void The_unbroken_mini_dataset_trains()
    {
        var result = CliRun.Of(data.TrainArgs(output));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.NotEqual(OldModel, File.ReadAllBytes(output));
    }

    [Fact]
    public void Empty_file()
    {
        data.Write(TrainImages, []);
        AssertDataError(TrainImages, "file is empty");
    }

    [Fact]
    public void Header_cut_short()
    {
        data.Write(TrainImages, data.Read(TrainImages)[..10]);
        AssertDataError(TrainImages, "header cut short (10 of 16 bytes)");
    }

    [Fact]
    public void Wrong_magic()
    {
        var bytes = data.Read(TrainLabels);
        bytes[2] = 0x12;
        data.Write(TrainLabels, bytes);
        AssertDataError(TrainLabels, "not an IDX label file");
    }

    [Fact]
    public void Image_file_given_as_labels()
    {
        data.Write(TrainLabels, data.Read(TrainImages));
        AssertDataError(TrainLabels, "this is an IDX image file");
    }

    [Fact]
    public void Label_file_given_as_images()
    {
        data.Write(TrainImages, data.Read(TrainLabels));
        AssertDataError(TrainImages, "this is an IDX label file");
    }

    [Fact]
    public void Data_shorter_than_the_header_says()
    {
        var bytes = data.Read(TrainImages);
        data.Write(TrainImages, bytes[..^100]);
        AssertDataError(TrainImages, "data is shorter than the header says");
    }

    [Fact]
    public void Data_longer_than_the_header_says()
    {
        data.Write(TestLabels, [.. data.Read(TestLabels), 1, 2, 3]);
        AssertDataError(TestLabels, "data is longer than the header says");
    }

    [Fact]
    public void Image_and_label_counts_differ()
    {
        var labels = data.Read(TrainLabels);
        data.Write(TrainLabels, Idx.Labels(labels[8..(8 + TrainCount - 1)]));
        AssertDataError(TrainLabels, $"{TrainCount - 1} labels for {TrainCount} images");
    }

    [Fact]
    public void Header_declaring_billions_of_images_fails_before_allocating()
    {
        var bytes = data.Read(TrainImages);
        Idx.Header(2051, 2_000_000_000).CopyTo(bytes, 0);
        data.Write(TrainImages, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertDataError(TrainImages, "header declares 2000000000 images");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "allocated more than 64 MB");
    }

    [Fact]
    public void Gzipped_header_declaring_billions_of_labels_fails_before_allocating()
    {
        var bytes = data.Read(TrainLabels);
        Idx.Header(2049, 2_000_000_000).CopyTo(bytes, 0);
        data.WriteGz(TrainLabels, Idx.Gzip(bytes));
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertDataError(TrainLabels + ".gz", "data is shorter than the header says");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "allocated more than 64 MB");
    }

    [Fact]
    public void Images_that_are_not_28_by_28()
    {
        var bytes = data.Read(TrainImages);
        Idx.Header(2051, TrainCount, 14, 56).CopyTo(bytes, 0);
        data.Write(TrainImages, bytes);
        AssertDataError(TrainImages, "images are 14×56, but this network takes 28×28");
    }

    [Fact]
    public void Label_above_9()
    {
        var bytes = data.Read(TestLabels);
        bytes[8 + 42] = 10;
        data.Write(TestLabels, bytes);
        AssertDataError(TestLabels, "label 10 at index 42 is out of range 0–9");
    }

    [Fact]
    public void Gzip_data_corrupt()
    {
        var gz = Idx.Gzip(data.Read(TrainImages));
        for (int i = 100; i < 200; i++) gz[i] ^= 0x5A;
        data.WriteGz(TrainImages, gz);
        AssertDataError(TrainImages + ".gz", "gzip");
    }

    [Fact]
    public void Gzip_data_cut_short()
    {
        var gz = Idx.Gzip(data.Read(TrainImages));
        data.WriteGz(TrainImages, gz[..(gz.Length / 2)]);
        AssertDataError(TrainImages + ".gz", "cut short");
    }

    [Fact]
    public void Directory_where_a_file_should_be()
    {
        File.Delete(data.PathOf(TrainLabels));
        Directory.CreateDirectory(data.PathOf(TrainLabels));
        AssertDataError(TrainLabels, "is a directory");
    }

    /// <summary>The real program in its own process, which root runs without the right to read any file.</summary>
    [FileModeFact, SupportedOSPlatform("linux")]
    public void File_without_read_permission()
    {
        File.SetUnixFileMode(data.PathOf(TrainImages), UnixFileMode.None);

        var result = ChildProcess.RunBoundByFileModes(data.TrainArgs(output));

        result.AssertOneClearError(ExitCodes.DataError, data.PathOf(TrainImages), "permission denied");
        Assert.Equal(OldModel, File.ReadAllBytes(output));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public void Verbose_adds_the_details_after_the_one_line()
    {
        data.Write(TrainImages, []);
        var result = CliRun.Of([.. data.TrainArgs(output), "--verbose"]);
        Assert.Equal(ExitCodes.DataError, result.ExitCode);
        Assert.Equal($"error: {data.PathOf(TrainImages)}: file is empty", result.ErrorLines[0]);
        Assert.Contains("IdxFormatException", result.Error);
        Assert.Contains("   at ", result.Error);
    }
}
