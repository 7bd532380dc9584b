namespace MnistTrainer.Data;

/// <summary>Reads a train or test split from an image file and a label file, checking that they belong together.</summary>
public static class DatasetFiles
{
    public static LabeledImages Load(string imagesPath, string labelsPath, int classCount)
    {
        var images = IdxReader.ReadImages(imagesPath);
        if (images.Count == 0) throw new EmptyDatasetException(imagesPath);
        if (images.Rows != DatasetInfo.ImageSide || images.Cols != DatasetInfo.ImageSide)
            throw new IdxFormatException(imagesPath, $"images are {images.Rows}×{images.Cols}, but this network takes 28×28");
        var labels = IdxReader.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new IdxFormatException(labelsPath, $"{labels.Length} labels for {images.Count} images in {Path.GetFileName(imagesPath)}");
        int bad = Array.FindIndex(labels, l => l >= classCount);
        if (bad >= 0)
            throw new IdxFormatException(labelsPath, $"label {labels[bad]} at index {bad} is out of range 0–{classCount - 1}");
        return new LabeledImages(images.Pixels, labels);
    }
}
