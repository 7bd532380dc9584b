using MnistTrainer.Data;

namespace MnistTrainer.Cli;

/// <summary>Shows download progress: a live percentage on a terminal, one line per file otherwise.</summary>
public sealed class DownloadReporter(Terminal terminal) : IProgress<DownloadProgress>
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
            ? $"{100.0 * p.BytesReceived / total,5:F1}% of {total / 1e6:F1} MB"
            : $"{p.BytesReceived / 1e6:F1} MB";
        terminal.Out.Write($"\rDownloading {p.Url}  {amount}   ");
    }
}
