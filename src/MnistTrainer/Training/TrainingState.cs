namespace MnistTrainer.Training;

/// <summary>
/// Where an interrupted run stopped, with everything needed to continue it exactly as if it had not
/// stopped (the network's weights are kept beside it, see <see cref="CheckpointFile"/>). The learning
/// rate schedule and the augmentation depend only on the position (epoch, batch), so they need no
/// state of their own.
/// </summary>
/// <param name="Epoch">The epoch in progress, from 1.</param>
/// <param name="Batch">How many of its batches are done; the next one to run.</param>
/// <param name="RunningLoss">The sum of those batches' losses, so the epoch's figure comes out as without the stop.</param>
/// <param name="EpochLosses">The figures of the epochs already finished.</param>
/// <param name="TestAccuracy">The test accuracy after the last finished epoch.</param>
/// <param name="ShuffleState">The shuffle generator as it was before this epoch's permutation, so the same order is drawn again.</param>
/// <param name="TorchRngState">Torch's global generator (not used by this network's training today, kept so nothing random can differ).</param>
/// <param name="OptimizerState">The optimizer's state dict (momentum buffers, Adam's moments and step count; empty for plain SGD).</param>
/// <param name="History">The finished epochs' reports, so curves and metrics of a resumed run cover the whole run.</param>
/// <param name="BestEpoch">With <see cref="KeepWeights.Best"/>: the epoch with the best validation accuracy so far (0: none yet), its accuracy and weights.</param>
/// <param name="AverageWeights">With weight averaging: the running average of the epochs averaged so far, and how many.</param>
public sealed record TrainingState(
    int Epoch,
    int Batch,
    double RunningLoss,
    IReadOnlyList<double> EpochLosses,
    double? TestAccuracy,
    byte[] ShuffleState,
    byte[] TorchRngState,
    byte[] OptimizerState,
    IReadOnlyList<EpochCompleted>? History = null,
    int BestEpoch = 0,
    double BestValidationAccuracy = 0,
    byte[]? BestWeights = null,
    byte[]? AverageWeights = null,
    int AveragedEpochs = 0);
