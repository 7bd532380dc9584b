using MnistTrainer.Data;
using MnistTrainer.Tests.Data;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// A small dataset folder of made-up images (so training takes milliseconds and no real data is needed):
/// <see cref="TrainCount"/> training and <see cref="TestCount"/> test images as plain IDX files with
/// the standard names. Tests then break one file at a time. Deleted on dispose.
/// </summary>
public sealed class MiniDataset : IDisposable
{
    public const int TrainCount = 640;
    public const int TestCount = 100;
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    public MiniDataset()
    {
        var all = MadeUp(TrainCount + TestCount);
        var train = all.Slice(0, TrainCount);
        var test = all.Slice(TrainCount, TestCount);
        Write(TrainImages, Idx.Images(train));
        Write(TrainLabels, Idx.Labels(train));
        Write(TestImages, Idx.Images(test));
        Write(TestLabels, Idx.Labels(test));
    }

    /// <summary>
    /// <paramref name="count"/> made-up 28×28 images, the same every time: image i has label i % 10 and a
    /// bright bar in rows 2·label … 2·label + 3 over seeded noise, so a network can learn them.
    /// </summary>
    public static LabeledImages MadeUp(int count)
    {
        var random = new Random(11);
        var pixels = new byte[count * DatasetInfo.ImagePixels];
        random.NextBytes(pixels);
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            var image = pixels.AsSpan(i * DatasetInfo.ImagePixels, DatasetInfo.ImagePixels);
            for (int p = 0; p < image.Length; p++) image[p] /= 4;
            image.Slice(2 * labels[i] * DatasetInfo.ImageSide, 4 * DatasetInfo.ImageSide).Fill(255);
        }
        return new LabeledImages(pixels, labels);
    }

    readonly TempFolder temp = new();

    public string Folder => temp.Path;

    /// <summary>The bytes of a model already at the output path, which a failed run must leave as they were.</summary>
    public static readonly byte[] OldModel = "the previous model, which must survive"u8.ToArray();

    /// <summary>Puts <see cref="OldModel"/> at <c>out/old.model</c> in the folder and returns that path.</summary>
    public string PlantOldModel()
    {
        var output = Path.Combine(Folder, "out", "old.model");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllBytes(output, OldModel);
        return output;
    }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    public void Write(string name, byte[] bytes) => File.WriteAllBytes(PathOf(name), bytes);

    /// <summary>Replaces the plain file <paramref name="name"/> by <c>name.gz</c> with the given compressed bytes.</summary>
    public string WriteGz(string name, byte[] gzBytes)
    {
        File.Delete(PathOf(name));
        Write(name + ".gz", gzBytes);
        return PathOf(name + ".gz");
    }

    /// <summary>The train arguments for this folder: fast, offline, deterministic, writing to <paramref name="output"/>.</summary>
    /// <remarks>An option in <paramref name="extra"/> replaces the default one.</remarks>
    public string[] TrainArgs(string output, params string[] extra)
    {
        string[] defaults = ["--epochs", "1", "--batch-size", "64", "--seed", "7", "--threads", "1", "--output", output];
        var args = new List<string> { "train", "--data-dir", Folder, "--no-download" };
        for (int i = 0; i < defaults.Length; i += 2)
            if (!extra.Contains(defaults[i])) args.AddRange([defaults[i], defaults[i + 1]]);
        return [.. args, .. extra];
    }

    public void Dispose()
    {
        temp.Dispose();
    }
}
