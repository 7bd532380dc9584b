namespace MnistTrainer.Data;

/// <summary>The four files of a dataset, found in <see cref="Folder"/>.</summary>
public sealed record DatasetPaths(string Folder, string TrainImages, string TrainLabels, string TestImages, string TestLabels);
