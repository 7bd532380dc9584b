namespace MnistTrainer.Inference;

/// <summary>Expands the paths given on the command line: a folder stands for the image files directly in it, in name order.</summary>
public static class ImageFolder
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (!Directory.Exists(path))
            {
                files.Add(path);
                continue;
            }
            var images = Directory.EnumerateFiles(path)
                .Where(f => ImageFile.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (images.Count == 0)
                throw new ImageFileException(path, "folder has no image files (.png, .jpg, .jpeg, .bmp, .gif, .webp)");
            files.AddRange(images);
        }
        return files;
    }
}
