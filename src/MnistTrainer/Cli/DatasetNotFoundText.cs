using MnistTrainer.Data;

namespace MnistTrainer.Cli;

/// <summary>What the user reads when a dataset is nowhere: where it was looked for, why downloading did not help, and what to do.</summary>
public static class DatasetNotFoundText
{
    public static string Of(DatasetNotFoundException e)
    {
        var lines = new List<string> { $"{e.Dataset.DisplayName} was not found. Looked in:" };
        lines.AddRange(e.FoldersLookedIn.Select(p => "  " + p));
        lines.Add(e.DownloadFailure == null
            ? "Downloading is turned off (--no-download)."
            : $"Downloading failed: {e.DownloadFailure}");
        lines.Add($"Put these files in {e.DownloadFolder} (or pass --data-dir FOLDER): {string.Join(", ", DatasetInfo.Files)}.");
        var fashion = DatasetInfo.FashionMnist;
        if (e.Dataset != fashion)
            lines.Add(e.AlternativeOnThisMachine == fashion
                ? $"Fashion-MNIST is available on this machine: train on it with --dataset {fashion.Name}."
                : $"To train offline, install Fashion-MNIST (sudo apt-get install dataset-fashion-mnist) and use --dataset {fashion.Name}.");
        return string.Join(Environment.NewLine, lines);
    }
}
