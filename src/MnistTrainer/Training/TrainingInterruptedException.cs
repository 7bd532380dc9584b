namespace MnistTrainer.Training;

/// <summary>
/// A run stopped by its cancellation token before the end. <see cref="State"/> says where, so the
/// caller can save a checkpoint; a caller that does not is still told the run did not finish.
/// </summary>
public sealed class TrainingInterruptedException(TrainingState state, CancellationToken token)
    : OperationCanceledException("Training was interrupted.", token)
{
    public TrainingState State { get; } = state;
}
