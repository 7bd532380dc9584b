namespace MnistTrainer.Data;

/// <summary>Every mirror failed for a file; the message says what each one did.</summary>
public sealed class DownloadException(string message) : Exception(message);
