namespace MnistTrainer.Data;

/// <summary>How far a download is: <paramref name="TotalBytes"/> is null when the server does not say.</summary>
public sealed record DownloadProgress(string FileName, string Url, long BytesReceived, long? TotalBytes);
