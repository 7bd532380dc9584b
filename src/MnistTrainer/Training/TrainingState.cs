namespace MnistTrainer.Training;

/// <summary>
/// Where an interrupted run stopped, with everything needed to continue it exactly as if it had not
/// stopped (the network's weights are kept beside it, see <see cref="CheckpointFile"/>).
/// </summary>
/// <param name="Epoch">The epoch in progress, from 1.</param>
/// <param name="Batch">How many of its batches are done; the next one to run.</param>
/// <param name="RunningLoss">The sum of those batches' losses, so the epoch's figure comes out as without the stop.</param>
/// <param name="EpochLosses">The figures of the epochs already finished.</param>
/// <param name="TestAccuracy">The test accuracy after the last finished epoch.</param>
/// <param name="ShuffleState">The shuffle generator as it was before this epoch's permutation, so the same order is drawn again.</param>
/// <param name="TorchRngState">Torch's global generator (not used by this network's training today, kept so nothing random can differ).</param>
/// <param name="OptimizerState">The optimizer's state dict (empty for plain SGD, kept for the same reason).</param>
public sealed record TrainingState(
    int Epoch,
    int Batch,
    double RunningLoss,
    IReadOnlyList<double> EpochLosses,
    double? TestAccuracy,
    byte[] ShuffleState,
    byte[] TorchRngState,
    byte[] OptimizerState);
