namespace MnistTrainer.Data;

// Placeholder signature; the real downloader is being written in its own change.
public sealed class DatasetDownloader
{
    public void DownloadAll(DatasetInfo dataset, string targetFolder, IProgress<DownloadProgress>? progress, CancellationToken cancel)
        => throw new DownloadException("downloading is not implemented yet");
}
