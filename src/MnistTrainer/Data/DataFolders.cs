namespace MnistTrainer.Data;

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

    /// <summary>Where other tools on this machine keep the dataset: the PyTorch lesson's folder, then the distribution package's.</summary>
    public static IEnumerable<string> OnThisMachine(DatasetInfo dataset)
    {
        yield return TorchvisionRawDir(dataset);
        if (dataset.SystemFolder != null) yield return dataset.SystemFolder;
    }

    /// <summary>Where the PyTorch lesson (torchvision) keeps the raw files: <c>~/.pytorch/MNIST_data/&lt;Folder&gt;/raw</c>.</summary>
    public static string TorchvisionRawDir(DatasetInfo dataset) => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pytorch", "MNIST_data", dataset.TorchvisionFolder, "raw");
}
