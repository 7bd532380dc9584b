using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Resources;

namespace MnistTrainer.Cli;

/// <summary>
/// The options that choose a dataset and where its files come from, and the one way commands get their data through
/// them: find (or download) the dataset, read the splits they need, and tell the user where they came from.
/// </summary>
public sealed class DataOptions
{
    public Option<string> Dataset { get; } = new("--dataset")
    {
        Description = "Dataset: mnist (digits) or fashion-mnist (clothing)",
        DefaultValueFactory = _ => DatasetInfo.Mnist.Name,
    };

    public Option<string?> DataDir { get; } = SharedOptions.PathOption("--data-dir",
        $"Folder with the IDX files (default: ${DataFolders.DataDirVariable}, then the project's data/ folder; see README)", "FOLDER");

    public Option<bool> NoDownload { get; } = new("--no-download")
    {
        Description = "Never download; fail if the files are not found locally",
    };

    /// <param name="defaultDataset">
    /// When given, --dataset has no fixed default: the command picks one when it is not given, as this says
    /// (then <see cref="GetDataset"/> may be null).
    /// </param>
    public DataOptions(string? defaultDataset = null)
    {
        var names = DatasetInfo.All.Select(d => d.Name).ToArray();
        Dataset.CompletionSources.Add(names);
        Dataset.Check(name => DatasetInfo.Find(name) == null ? $"--dataset {name} is not known; choose one of: {string.Join(", ", names)}." : null);
        if (defaultDataset == null) return;
        Dataset.DefaultValueFactory = null;
        Dataset.Description += $" (default: {defaultDataset})";
    }

    public IEnumerable<Option> All => [Dataset, DataDir, NoDownload];

    /// <summary>Only the options that say where the files come from, for commands whose dataset is fixed by the model.</summary>
    public IEnumerable<Option> Location => [DataDir, NoDownload];

    public DatasetInfo? GetDataset(ParseResult parse) => parse.GetValue(Dataset) is { } name ? DatasetInfo.Find(name) : null;

    /// <param name="localOnly">Only look in the local folders and never download, to see what is on this machine.</param>
    public DatasetLocator GetLocator(ParseResult parse, bool localOnly = false) => new(UserDataDir(parse), DataFolders.DefaultDataDir(),
        localOnly || parse.GetValue(NoDownload) ? null : new DatasetDownloader());

    /// <summary>
    /// Adds the data to a command's plan: the data folder (which must be a folder), and every file the datasets may be
    /// read from or downloaded to, so that no output of the command lands on one of them.
    /// </summary>
    public FilePlan AddTo(FilePlan plan, ParseResult parse, params DatasetInfo[] datasets)
    {
        plan.InputFolder(parse.GetValue(DataDir) != null ? DataDir.Name : $"${DataFolders.DataDirVariable}", UserDataDir(parse));
        var locator = GetLocator(parse, localOnly: true);
        foreach (var dataset in datasets)
            plan.Inputs($"the {dataset.DisplayName} data file", locator.Candidates(dataset).SelectMany(folder => DatasetInfo.Files.SelectMany(file =>
                new[] { Path.Combine(folder, file), Path.Combine(folder, Path.GetFileNameWithoutExtension(file)) })));
        return plan;
    }

    public (LabeledImages Train, LabeledImages Test) LoadBoth(DatasetInfo dataset, ParseResult parse, Terminal terminal, CancellationToken cancel)
    {
        var paths = GetLocator(parse).Locate(dataset, new DownloadReporter(terminal), cancel);
        var train = DatasetFiles.Load(paths.TrainImages, paths.TrainLabels, dataset.ClassCount);
        var test = DatasetFiles.Load(paths.TestImages, paths.TestLabels, dataset.ClassCount);
        terminal.Out.WriteLine(Language.Format(Strings.TrainDatasetLoaded, dataset.DisplayName, paths.Folder, train.Count, test.Count));
        return (train, test);
    }

    /// <summary>The test split alone: a folder with just the two test files is enough.</summary>
    public LabeledImages LoadTest(DatasetInfo dataset, ParseResult parse, Terminal terminal, CancellationToken cancel, bool localOnly = false)
    {
        var (folder, images, labels) = GetLocator(parse, localOnly).LocateTestSet(dataset, new DownloadReporter(terminal), cancel);
        var test = DatasetFiles.Load(images, labels, dataset.ClassCount);
        terminal.Out.WriteLine($"{dataset.DisplayName} test set from {folder}: {test.Count:N0} images");
        return test;
    }

    string? UserDataDir(ParseResult parse) =>
        parse.GetValue(DataDir) ?? (Environment.GetEnvironmentVariable(DataFolders.DataDirVariable) is { Length: > 0 } folder ? folder : null);

    /// <summary>Shows download progress: a live percentage on a terminal, one line per file otherwise.</summary>
    sealed class DownloadReporter(Terminal terminal) : IProgress<DownloadProgress>
    {
        string? currentFile;
        DateTime lastDraw;

        public void Report(DownloadProgress p)
        {
            if (p.FileName != currentFile)
            {
                if (currentFile != null && terminal.IsInteractive) terminal.Out.WriteLine();
                currentFile = p.FileName;
                if (!terminal.IsInteractive) terminal.Out.WriteLine($"Downloading {p.Url}");
            }
            if (!terminal.IsInteractive || (DateTime.UtcNow - lastDraw).TotalMilliseconds < 100 && p.BytesReceived != p.TotalBytes) return;
            lastDraw = DateTime.UtcNow;
            string amount = p.TotalBytes is long total && total > 0
                ? $"{Language.Percent((double)p.BytesReceived / total, 1),6} of {total / 1e6:F1} MB"
                : $"{p.BytesReceived / 1e6:F1} MB";
            terminal.Out.Write($"\rDownloading {p.Url}  {amount}   ");
        }
    }
}
