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

/// <summary>The four files of a dataset, found in <see cref="Folder"/>.</summary>
public sealed record DatasetPaths(string Folder, string TrainImages, string TrainLabels, string TestImages, string TestLabels);

/// <summary>
/// No folder had the dataset and it could not (or was not allowed to) be downloaded. What was tried is kept as
/// data; the command line words the advice (which options to give, what to install).
/// </summary>
public sealed class DatasetNotFoundException(
    DatasetInfo dataset, IReadOnlyList<string> foldersLookedIn, string? downloadFailure, string downloadFolder,
    DatasetInfo? alternativeOnThisMachine)
    : Exception($"{dataset.DisplayName} was not found")
{
    public DatasetInfo Dataset { get; } = dataset;

    public IReadOnlyList<string> FoldersLookedIn { get; } = foldersLookedIn;

    /// <summary>Why downloading failed; null when downloading was turned off.</summary>
    public string? DownloadFailure { get; } = downloadFailure;

    /// <summary>Where the files would be downloaded, and so where the user can put them.</summary>
    public string DownloadFolder { get; } = downloadFolder;

    /// <summary>Another dataset (Fashion-MNIST) that is complete on this machine, if any.</summary>
    public DatasetInfo? AlternativeOnThisMachine { get; } = alternativeOnThisMachine;
}

/// <summary>Where datasets live when the user does not say.</summary>
public static class DataFolders
{
    public const string DataDirVariable = "MNIST_TRAINER_DATA";

    /// <summary>
    /// The project's default data folder: <c>data/</c> of the source checkout the program was built from
    /// (found from the program's own location, so it does not depend on the working directory), or, for a
    /// published copy outside a checkout, <c>$XDG_DATA_HOME/mnist-trainer</c> (<c>~/.local/share/mnist-trainer</c>).
    /// </summary>
    public static string DefaultDataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistTrainer.sln")))
                return Path.Combine(dir.FullName, "data");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(root, "mnist-trainer");
    }

    /// <summary>
    /// Where other tools on this machine keep the dataset: the PyTorch lesson's folder (torchvision's raw files,
    /// <c>~/.pytorch/MNIST_data/&lt;Folder&gt;/raw</c>), then the distribution package's.
    /// </summary>
    public static IEnumerable<string> OnThisMachine(DatasetInfo dataset)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        yield return Path.Combine(home, ".pytorch", "MNIST_data", dataset.TorchvisionFolder, "raw");
        if (dataset.SystemFolder != null) yield return dataset.SystemFolder;
    }
}
