namespace MnistTrainer.Data;

/// <summary>No folder had the dataset and it could not (or was not allowed to) be downloaded.</summary>
public sealed class DatasetNotFoundException(string message) : Exception(message);
