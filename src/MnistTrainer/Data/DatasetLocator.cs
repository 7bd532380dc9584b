namespace MnistTrainer.Data;

/// <summary>
/// Finds a dataset's four IDX files. Looks, in order, in the folder the user named (option or
/// environment variable), the default data folder, the PyTorch lesson's folder and the system
/// folder of a distribution package; if none has them, downloads them into the default data folder.
/// <paramref name="machineFolders"/> gives the folders other tools use (default <see cref="DataFolders.OnThisMachine"/>);
/// tests pass their own so that what is installed on the machine does not change the outcome.
/// </summary>
public sealed class DatasetLocator(string? userDataDir, string defaultDataDir, DatasetDownloader? downloader,
    Func<DatasetInfo, IEnumerable<string>>? machineFolders = null)
{
    readonly Func<DatasetInfo, IEnumerable<string>> machineFolders = machineFolders ?? DataFolders.OnThisMachine;

    public DatasetPaths Locate(DatasetInfo dataset, IProgress<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        var places = Candidates(dataset).ToList();
        foreach (var folder in places)
            if (TryFind(folder) is { } found) return found;

        var target = DownloadFolder(dataset);
        if (downloader == null) throw NotFound(dataset, places, downloadTried: null);
        try
        {
            downloader.DownloadAll(dataset, target, progress, cancel);
        }
        catch (DownloadException e)
        {
            throw NotFound(dataset, places, downloadTried: e.Message);
        }
        return TryFind(target) ?? throw NotFound(dataset, places, downloadTried: "the download did not leave the files in " + target);
    }

    /// <summary>
    /// Like <see cref="Locate"/>, for commands that read only the test split: a folder with just the two
    /// test files is enough (e.g. a copy of MNIST's t10k files alone).
    /// </summary>
    public (string Folder, string Images, string Labels) LocateTestSet(DatasetInfo dataset,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        foreach (var folder in Candidates(dataset))
            if (FindFile(folder, DatasetInfo.TestImagesFile) is { } images && FindFile(folder, DatasetInfo.TestLabelsFile) is { } labels)
                return (folder, images, labels);
        var all = Locate(dataset, progress, cancel);
        return (all.Folder, all.TestImages, all.TestLabels);
    }

    /// <summary>The folders looked at, in order. A user-named folder may hold the files directly or in a subfolder named after the dataset.</summary>
    public IEnumerable<string> Candidates(DatasetInfo dataset)
    {
        if (userDataDir != null)
        {
            yield return userDataDir;
            yield return Path.Combine(userDataDir, dataset.Name);
            yield return Path.Combine(userDataDir, dataset.TorchvisionFolder, "raw");
        }
        yield return Path.Combine(defaultDataDir, dataset.Name);
        foreach (var folder in machineFolders(dataset)) yield return folder;
    }

    string DownloadFolder(DatasetInfo dataset) => Path.Combine(userDataDir ?? defaultDataDir, dataset.Name);

    /// <summary>A folder counts when it has all four files, each either gzipped or plain (as torchvision leaves them).</summary>
    static DatasetPaths? TryFind(string folder)
    {
        var paths = DatasetInfo.Files.Select(f => FindFile(folder, f)).ToArray();
        return paths.All(p => p != null) ? new DatasetPaths(folder, paths[0]!, paths[1]!, paths[2]!, paths[3]!) : null;
    }

    /// <summary>
    /// The file in <paramref name="folder"/> under its gzipped name or, failing that, without <c>.gz</c>.
    /// Anything under the name counts (even a directory), so that the reader can say what is wrong with it.
    /// </summary>
    internal static string? FindFile(string folder, string gzName)
    {
        var gz = Path.Combine(folder, gzName);
        if (Path.Exists(gz)) return gz;
        var plain = Path.Combine(folder, Path.GetFileNameWithoutExtension(gzName));
        return Path.Exists(plain) ? plain : null;
    }

    DatasetNotFoundException NotFound(DatasetInfo dataset, IReadOnlyList<string> places, string? downloadTried)
    {
        var fashion = DatasetInfo.FashionMnist;
        bool fashionHere = dataset != fashion && Candidates(fashion).Any(f => TryFind(f) != null);
        return new DatasetNotFoundException(dataset, places, downloadTried, DownloadFolder(dataset), fashionHere ? fashion : null);
    }
}
