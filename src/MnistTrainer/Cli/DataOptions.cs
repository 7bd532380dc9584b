using System.CommandLine;
using MnistTrainer.Data;
using MnistTrainer.Files;

namespace MnistTrainer.Cli;

/// <summary>The options that choose a dataset and where its files come from; every command that reads a dataset adds them.</summary>
public sealed class DataOptions
{
    public Option<string> Dataset { get; } = new("--dataset")
    {
        Description = "Dataset: mnist (digits) or fashion-mnist (clothing)",
        DefaultValueFactory = _ => DatasetInfo.Mnist.Name,
    };

    public Option<string?> DataDir { get; } = PathOptions.Path("--data-dir",
        $"Folder with the IDX files (default: ${DataFolders.DataDirVariable}, then the project's data/ folder; see README)", "FOLDER");

    public Option<bool> NoDownload { get; } = new("--no-download")
    {
        Description = "Never download; fail if the files are not found locally",
    };

    public DataOptions()
    {
        var names = DatasetInfo.All.Select(d => d.Name).ToArray();
        Dataset.CompletionSources.Add(names);
        Dataset.Check(name => DatasetInfo.Find(name) == null ? $"--dataset {name} is not known; choose one of: {string.Join(", ", names)}." : null);
    }

    /// <summary>For commands that read a model: --dataset then defaults to the dataset the model was trained on.</summary>
    public static DataOptions DefaultingToModel()
    {
        var options = new DataOptions();
        options.Dataset.DefaultValueFactory = null;
        options.Dataset.Description = "Dataset: mnist (digits) or fashion-mnist (clothing) (default: the one the model was trained on)";
        return options;
    }

    /// <summary>Adds only the options that say where the files come from, for commands whose dataset is fixed by the model.</summary>
    public void AddLocationTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(NoDownload);
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Dataset);
        command.Options.Add(DataDir);
        command.Options.Add(NoDownload);
    }

    /// <summary>Options whose --dataset has no fixed default: when it is not given, the command picks one (<paramref name="defaultDescription"/> says how).</summary>
    public static DataOptions WithoutDefaultDataset(string defaultDescription)
    {
        var options = new DataOptions();
        options.Dataset.DefaultValueFactory = null;
        options.Dataset.Description += $" (default: {defaultDescription})";
        return options;
    }

    public DatasetInfo GetDataset(ParseResult parse) => DatasetInfo.Find(parse.GetValue(Dataset)!)!;

    /// <summary>The dataset named with --dataset, or null when it was not given (and has no default).</summary>
    public DatasetInfo? GetDatasetIfGiven(ParseResult parse) => parse.GetValue(Dataset) is { } name ? DatasetInfo.Find(name) : null;

    public DatasetLocator GetLocator(ParseResult parse)
    {
        var downloader = parse.GetValue(NoDownload) ? null : new DatasetDownloader();
        return new DatasetLocator(UserDataDir(parse), DataFolders.DefaultDataDir(), downloader);
    }

    /// <summary>A locator that only looks in the local folders and never downloads, to see what is on this machine.</summary>
    public DatasetLocator GetLocalLocator(ParseResult parse) => new(UserDataDir(parse), DataFolders.DefaultDataDir(), downloader: null);

    /// <summary>
    /// Adds the data to a command's plan: the data folder (which must be a folder), and every file the datasets may be
    /// read from or downloaded to, so that no output of the command lands on one of them.
    /// </summary>
    public FilePlan AddTo(FilePlan plan, ParseResult parse, params DatasetInfo[] datasets)
    {
        plan.InputFolder(parse.GetValue(DataDir) != null ? DataDir.Name : $"${DataFolders.DataDirVariable}", UserDataDir(parse));
        var locator = GetLocalLocator(parse);
        foreach (var dataset in datasets)
            plan.Inputs($"the {dataset.DisplayName} data file", locator.Candidates(dataset).SelectMany(folder => DatasetInfo.Files.SelectMany(file =>
                new[] { Path.Combine(folder, file), Path.Combine(folder, Path.GetFileNameWithoutExtension(file)) })));
        return plan;
    }

    string? UserDataDir(ParseResult parse) =>
        parse.GetValue(DataDir) ?? NullIfEmpty(Environment.GetEnvironmentVariable(DataFolders.DataDirVariable));

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
