using MnistTrainer.Data;

namespace MnistTrainer.Tests;

/// <summary>The real splits tests train on, read once per test run.</summary>
public static class RealDatasets
{
    static readonly Lazy<LabeledImages> mnistT10k = new(() => DatasetFiles.Load(
        TestData.PathOf(RealData.MnistT10k, DatasetInfo.TestImagesFile),
        TestData.PathOf(RealData.MnistT10k, DatasetInfo.TestLabelsFile), 10));

    static readonly Lazy<LabeledImages> fashionMnistTrain = new(() => DatasetFiles.Load(
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TrainImagesFile),
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TrainLabelsFile), 10));

    static readonly Lazy<LabeledImages> fashionMnistTest = new(() => DatasetFiles.Load(
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TestImagesFile),
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TestLabelsFile), 10));

    /// <summary>The 10,000 real MNIST test digits.</summary>
    public static LabeledImages MnistT10k => mnistT10k.Value;

    /// <summary>The first 8,000 real test digits, for training where the MNIST training set is not available.</summary>
    public static LabeledImages MnistT10kTrainPart => MnistT10k.Slice(0, 8000);

    /// <summary>The last 2,000 real test digits, never seen by a model trained on <see cref="MnistT10kTrainPart"/>.</summary>
    public static LabeledImages MnistT10kTestPart => MnistT10k.Slice(8000, 2000);

    /// <summary>Fashion-MNIST's 60,000 training images.</summary>
    public static LabeledImages FashionMnistTrain => fashionMnistTrain.Value;

    /// <summary>Fashion-MNIST's 10,000 test images.</summary>
    public static LabeledImages FashionMnistTest => fashionMnistTest.Value;
}
