using MnistTrainer.Data;

namespace MnistTrainer.Inference;

/// <summary>
/// One 28×28 image ready for the network (light on dark, bytes 0–255), where it came from, its label
/// when it is a test image, and whether it had to be preprocessed to look like MNIST.
/// </summary>
public sealed record NetworkInput(string Source, byte[] Pixels, int? Label, bool Preprocessed)
{
    public GrayImage Image => new(DatasetInfo.ImageSide, DatasetInfo.ImageSide, Pixels);

    /// <summary>Reads a picture; with <paramref name="raw"/> its pixels are taken as they are, which needs a 28×28 picture.</summary>
    public static NetworkInput FromFile(string path, bool raw) => FromImage(ImageFile.Read(path), path, raw);

    /// <summary>Like <see cref="FromFile"/> for an image received by <c>serve</c>; <paramref name="source"/> names it in errors.</summary>
    public static NetworkInput FromBytes(byte[] bytes, string source, long maxPixels) =>
        FromImage(ImageFile.Read(new MemoryStream(bytes, writable: false), source, maxPixels), source, raw: false);

    /// <summary>A drawing sent as pen strokes, drawn again the way MNIST's digits look (<see cref="StrokeRenderer"/>).</summary>
    public static NetworkInput FromStrokes(PenStrokes drawing, string source) =>
        new(source, StrokeRenderer.Render(drawing), null, Preprocessed: true);

    static NetworkInput FromImage(GrayImage image, string path, bool raw)
    {
        if (raw)
        {
            if (!ImagePreprocessor.HasNetworkSize(image))
                throw new ImageFileException(path, $"image is {image.Width}×{image.Height}; taken as it is, without preprocessing, it must be 28×28");
            return new NetworkInput(path, image.Pixels, null, Preprocessed: false);
        }
        var pixels = ImagePreprocessor.Prepare(image)
            ?? throw new ImageFileException(path, "no drawing found: the picture is all one shade");
        return new NetworkInput(path, pixels, null, Preprocessed: !pixels.AsSpan().SequenceEqual(image.Pixels));
    }

    public static NetworkInput FromTestSet(DatasetInfo dataset, LabeledImages test, int index) =>
        new($"test image {index} of {dataset.DisplayName}", test.Image(index).ToArray(), test.Labels[index], Preprocessed: false);
}
