using MnistTrainer.Files;

namespace MnistTrainer.Data;

/// <summary>A well-formed IDX file of 0 images: nothing to train on or measure, refused when it is read (exit code 2).</summary>
public sealed class EmptyDatasetException(string path) : FileProblemException(path, "holds 0 images; a training or test set needs at least one");
