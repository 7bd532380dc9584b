using MnistTrainer.Lesson;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Lesson;

/// <summary>What the step tests share: real MNIST test images as tensors and one batch from them.</summary>
public sealed class MnistBatchFixture : IDisposable
{
    public ImageTensors Images { get; } = new(LocalData.MnistTest);

    public LessonBatch Batch(long seed) => LessonBatch.First(Images, seed);

    public void Dispose() => Images.Dispose();
}
