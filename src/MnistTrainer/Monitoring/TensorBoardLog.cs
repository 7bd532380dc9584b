using MnistTrainer.Training;
using static TorchSharp.torch.utils;

namespace MnistTrainer.Monitoring;

/// <summary>
/// TensorBoard event files (TorchSharp's SummaryWriter, which writes each record as it comes): per
/// epoch the scalars <see cref="Tags"/>, the step being the epoch. <c>tensorboard --logdir DIR</c> shows them.
/// </summary>
public sealed class TensorBoardLog(string folder) : IProgress<TrainingProgress>
{
    public const string TrainingLoss = "loss/training", ValidationLoss = "loss/validation", TestLoss = "loss/test",
        ValidationAccuracy = "accuracy/validation", TestAccuracy = "accuracy/test", LearningRate = "learning_rate";

    readonly TorchSharp.Modules.SummaryWriter writer = tensorboard.SummaryWriter(folder);

    public void Report(TrainingProgress value)
    {
        // Epochs replayed on --resume are in the interrupted run's event file already: TensorBoard would show them twice.
        if (value is not EpochCompleted { Replayed: false } e) return;
        // SummaryWriter's own default wall time is .NET ticks: TensorBoard wants seconds since 1970.
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        void Add(string tag, double? scalar)
        {
            if (scalar is double v) writer.add_scalar(tag, (float)v, e.Epoch, now);
        }
        Add(TrainingLoss, e.AverageLoss);
        Add(ValidationLoss, e.ValidationLoss);
        Add(ValidationAccuracy, e.ValidationAccuracy);
        Add(TestLoss, e.TestLoss);
        Add(TestAccuracy, e.TestAccuracy);
        Add(LearningRate, e.LearningRate);
    }
}
