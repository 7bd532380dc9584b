namespace MnistTrainer.Data;

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

    /// <summary>The folders looked in, in order.</summary>
    public IReadOnlyList<string> FoldersLookedIn { get; } = foldersLookedIn;

    /// <summary>Why downloading failed; null when downloading was turned off.</summary>
    public string? DownloadFailure { get; } = downloadFailure;

    /// <summary>Where the files would be downloaded, and so where the user can put them.</summary>
    public string DownloadFolder { get; } = downloadFolder;

    /// <summary>Another dataset (Fashion-MNIST) that is complete on this machine, if any.</summary>
    public DatasetInfo? AlternativeOnThisMachine { get; } = alternativeOnThisMachine;
}
