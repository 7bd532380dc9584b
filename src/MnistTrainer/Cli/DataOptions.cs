using System.CommandLine;
using MnistTrainer.Data;

namespace MnistTrainer.Cli;

/// <summary>The options that choose a dataset and where its files come from; every command that reads a dataset adds them.</summary>
public sealed class DataOptions
{
    public Option<string> Dataset { get; } = new("--dataset")
    {
        Description = "Dataset: mnist (digits) or fashion-mnist (clothing)",
        DefaultValueFactory = _ => DatasetInfo.Mnist.Name,
    };

    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = $"Folder with the IDX files (default: ${DataFolders.DataDirVariable}, then the project's data/ folder; see README)",
    };

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

    public void AddTo(Command command)
    {
        command.Options.Add(Dataset);
        command.Options.Add(DataDir);
        command.Options.Add(NoDownload);
    }

    public DatasetInfo GetDataset(ParseResult parse) => DatasetInfo.Find(parse.GetValue(Dataset)!)!;

    public DatasetLocator GetLocator(ParseResult parse)
    {
        var userDir = parse.GetValue(DataDir) ?? NullIfEmpty(Environment.GetEnvironmentVariable(DataFolders.DataDirVariable));
        var downloader = parse.GetValue(NoDownload) ? null : new DatasetDownloader();
        return new DatasetLocator(userDir, DataFolders.DefaultDataDir(), downloader);
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
