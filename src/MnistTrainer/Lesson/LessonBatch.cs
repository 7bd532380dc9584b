using MnistTrainer.Model;
using MnistTrainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>
/// The lesson's <c>images, labels = next(iter(trainloader))</c> with <c>images.view(64, -1)</c>: the first
/// mini-batch of the training set shuffled with the seed (the batch <see cref="Trainer"/> starts with for
/// that seed), as flattened, normalized images [64, 784] and int64 labels [64].
/// </summary>
public sealed class LessonBatch : IDisposable
{
    public const int DefaultSize = 64;

    LessonBatch(Tensor images, Tensor labels)
    {
        Images = images;
        Labels = labels;
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }

    public static LessonBatch First(ImageTensors train, long seed, int size = DefaultSize)
    {
        using var scope = NewDisposeScope();
        using var shuffle = new Generator((ulong)seed);
        var indices = randperm(train.Count, generator: shuffle).narrow(0, 0, Math.Min(size, train.Count));
        var images = InputNormalization.Apply(train.Pixels.index_select(0, indices));
        var labels = train.Labels.index_select(0, indices);
        return new LessonBatch(images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
