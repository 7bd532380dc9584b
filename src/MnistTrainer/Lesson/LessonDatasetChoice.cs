using MnistTrainer.Data;

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
    public static LessonDatasetChoice Choose(Func<DatasetInfo, bool> isOnThisMachine)
    {
        if (isOnThisMachine(DatasetInfo.Mnist)) return new(DatasetInfo.Mnist, MnistMissing: false);
        if (isOnThisMachine(DatasetInfo.FashionMnist)) return new(DatasetInfo.FashionMnist, MnistMissing: true);
        return new(DatasetInfo.Mnist, MnistMissing: true);
    }
}
