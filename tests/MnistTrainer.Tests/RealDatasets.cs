using MnistTrainer.Data;

namespace MnistTrainer.Tests;

/// <summary>The real splits tests train on, read once per test run.</summary>
public static class RealDatasets
{
    /// <summary>How many images of the MNIST subset <see cref="MnistTrainPart"/> takes; the rest are <see cref="MnistTestPart"/>.</summary>
    public const int MnistTrainCount = 7000;

    static readonly Lazy<LabeledImages> mnist = new(() => DatasetFiles.Load(
        TestData.MnistSubsetFile(DatasetInfo.TestImagesFile), TestData.MnistSubsetFile(DatasetInfo.TestLabelsFile), 10));

    static readonly Lazy<LabeledImages> fashionMnistTrain = new(() => DatasetFiles.Load(
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TrainImagesFile),
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TrainLabelsFile), 10));

    static readonly Lazy<LabeledImages> fashionMnistTest = new(() => DatasetFiles.Load(
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TestImagesFile),
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TestLabelsFile), 10));

    /// <summary>The 8,000 real MNIST digits committed in tests/fixtures/mnist-subset/.</summary>
    public static LabeledImages Mnist => mnist.Value;

    /// <summary>The first 7,000 of <see cref="Mnist"/>, for training (the MNIST training set is not in the repository).</summary>
    public static LabeledImages MnistTrainPart => Mnist.Slice(0, MnistTrainCount);

    /// <summary>The last 1,000 of <see cref="Mnist"/>, never seen by a model trained on <see cref="MnistTrainPart"/>.</summary>
    public static LabeledImages MnistTestPart => Mnist.Slice(MnistTrainCount, Mnist.Count - MnistTrainCount);

    /// <summary>Fashion-MNIST's 60,000 training images.</summary>
    public static LabeledImages FashionMnistTrain => fashionMnistTrain.Value;

    /// <summary>Fashion-MNIST's 10,000 test images.</summary>
    public static LabeledImages FashionMnistTest => fashionMnistTest.Value;
}
