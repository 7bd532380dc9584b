using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>The dataset the lesson uses when none is named, and whether that is because MNIST is missing.</summary>
public sealed record LessonDatasetChoice(DatasetInfo Dataset, bool MnistMissing)
{
    /// <summary>
    /// MNIST, the lesson's dataset, when its four files are on this machine. When they are not, Fashion-MNIST
    /// if its files are (same shapes, ten classes, so every step works unchanged), so the lesson runs offline
    /// without downloading. When neither is here, MNIST, which the caller then downloads like <c>train</c> does.
    /// Nothing is downloaded to decide.
    /// </summary>
    public static LessonDatasetChoice Choose(Func<DatasetInfo, bool> isOnThisMachine) =>
        isOnThisMachine(DatasetInfo.Mnist) ? new(DatasetInfo.Mnist, MnistMissing: false)
        : isOnThisMachine(DatasetInfo.FashionMnist) ? new(DatasetInfo.FashionMnist, MnistMissing: true)
        : new(DatasetInfo.Mnist, MnistMissing: true);
}

/// <summary>
/// The lesson's <c>images, labels = next(iter(trainloader))</c> with <c>images.view(64, -1)</c>: the first
/// mini-batch of the training set shuffled with the seed (the batch <see cref="Trainer"/> starts with for
/// that seed), as flattened, normalized images [64, 784] and int64 labels [64].
/// </summary>
public sealed record LessonBatch(Tensor Images, Tensor Labels) : IDisposable
{
    public const int Size = 64;

    public static LessonBatch First(ImageTensors train, long seed)
    {
        using var scope = NewDisposeScope();
        using var shuffle = new Generator((ulong)seed);
        var indices = randperm(train.Count, generator: shuffle).narrow(0, 0, Math.Min(Size, train.Count));
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

/// <summary>A tensor's shape and float values (row-major), copied out of torch so results hold no native memory.</summary>
public sealed record TensorValues(long[] Shape, float[] Values)
{
    public static TensorValues From(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        return new TensorValues(tensor.shape, values);
    }

    public double MaxDifference(TensorValues other) => Values.Zip(other.Values, (a, b) => Math.Abs((double)a - b)).Max();
}
