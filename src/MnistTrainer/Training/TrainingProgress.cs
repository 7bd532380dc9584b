namespace MnistTrainer.Training;

/// <summary>What the trainer reports while it runs; the command layer decides how to show it.</summary>
public abstract record TrainingProgress(int Epoch, int Epochs);

/// <summary>A batch finished; <see cref="AverageLoss"/> is the running loss so far divided by the batches done.</summary>
public sealed record BatchCompleted(int Epoch, int Epochs, int Batch, int Batches, double AverageLoss)
    : TrainingProgress(Epoch, Epochs);

/// <summary>An epoch finished: the lesson's figure (running loss / batches), its duration and the test accuracy.</summary>
public sealed record EpochCompleted(int Epoch, int Epochs, double AverageLoss, TimeSpan Duration, double? TestAccuracy)
    : TrainingProgress(Epoch, Epochs);
