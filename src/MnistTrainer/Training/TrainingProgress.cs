namespace MnistTrainer.Training;

/// <summary>What the trainer reports while it runs; the command layer decides how to show it.</summary>
public abstract record TrainingProgress(int Epoch, int Epochs);

/// <summary>A batch finished; <see cref="AverageLoss"/> is the running loss so far divided by the batches done.</summary>
public sealed record BatchCompleted(int Epoch, int Epochs, int Batch, int Batches, double AverageLoss)
    : TrainingProgress(Epoch, Epochs);

/// <summary>
/// An epoch finished: the lesson's figure (running loss / batches), its duration, the test set's
/// loss and accuracy and, with a validation set, its loss and accuracy; the learning rate of the
/// epoch's last step. <see cref="Replayed"/>: an epoch run before an interruption, reported again
/// when the run resumes so that what collects the epochs has them all.
/// </summary>
public sealed record EpochCompleted(int Epoch, int Epochs, double AverageLoss, TimeSpan Duration, double? TestAccuracy,
    double? TestLoss = null, double? ValidationLoss = null, double? ValidationAccuracy = null, double LearningRate = 0, bool Replayed = false)
    : TrainingProgress(Epoch, Epochs);

/// <summary>
/// The run ended with other weights than the last epoch's: those of epoch <see cref="KeptEpoch"/>
/// (the best on the validation set), or the average of the last <see cref="AveragedEpochs"/> epochs;
/// with their validation and test scores.
/// </summary>
public sealed record WeightsChosen(int Epoch, int Epochs, int? KeptEpoch, int AveragedEpochs, double? ValidationAccuracy, double? TestAccuracy)
    : TrainingProgress(Epoch, Epochs);
