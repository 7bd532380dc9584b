using MnistTrainer.Lesson;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Lesson;

/// <summary>What the step tests share: the real MNIST test digits as tensors, and one batch from them.</summary>
public sealed class MnistBatchFixture : IDisposable
{
    public ImageTensors Images { get; } = new(RealDatasets.Mnist);

    public LessonBatch Batch(long seed) => LessonBatch.First(Images, seed);

    public void Dispose() => Images.Dispose();
}
