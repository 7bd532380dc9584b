namespace MnistTrainer.Cli;

/// <summary>An option value that parses but makes no sense (checked after the data is known, e.g. a batch larger than the dataset).</summary>
public sealed class UsageException(string message) : Exception(message);
