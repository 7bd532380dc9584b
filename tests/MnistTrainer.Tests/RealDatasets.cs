using MnistTrainer.Data;
using MnistTrainer.Tests.Data;

namespace MnistTrainer.Tests;

/// <summary>The real MNIST digits tests use (the committed subset), read once per test run.</summary>
public static class RealDatasets
{
    /// <summary>How many images of the MNIST subset <see cref="MnistTrainPart"/> takes; the rest are <see cref="MnistTestPart"/>.</summary>
    public const int MnistTrainCount = 7000;

    static readonly Lazy<LabeledImages> mnist = new(() => DatasetFiles.Load(
        TestData.MnistSubsetFile(DatasetInfo.TestImagesFile), TestData.MnistSubsetFile(DatasetInfo.TestLabelsFile), 10));

    /// <summary>The 8,000 real MNIST digits committed in tests/fixtures/mnist-subset/.</summary>
    public static LabeledImages Mnist => mnist.Value;

    /// <summary>The first 7,000 of <see cref="Mnist"/>, for training (the MNIST training set is not in the repository).</summary>
    public static LabeledImages MnistTrainPart => Mnist.Slice(0, MnistTrainCount);

    /// <summary>The last 1,000 of <see cref="Mnist"/>, never seen by a model trained on <see cref="MnistTrainPart"/>.</summary>
    public static LabeledImages MnistTestPart => Mnist.Slice(MnistTrainCount, Mnist.Count - MnistTrainCount);

    static readonly Lazy<LabeledImages> mnistT10k = new(() => DatasetFiles.Load(
        TestData.PathOf(RealData.MnistT10k, DatasetInfo.TestImagesFile), TestData.PathOf(RealData.MnistT10k, DatasetInfo.TestLabelsFile), 10));

    /// <summary>
    /// MNIST's whole official test set, from <c>../shared</c> (CI has it, a fresh clone does not): only for figures
    /// measured on it before the committed subset existed.
    /// </summary>
    public static LabeledImages MnistT10k => mnistT10k.Value;

    static readonly Lazy<LabeledImages> fashionMnistTrain = new(() => DatasetFiles.Load(
        TestData.PathOf(RealData.FashionMnist, DatasetInfo.TrainImagesFile), TestData.PathOf(RealData.FashionMnist, DatasetInfo.TrainLabelsFile), 10));

    /// <summary>Fashion-MNIST's 60,000 training images, from Debian's package: for the figures the README gives for it.</summary>
    public static LabeledImages FashionMnistTrain => fashionMnistTrain.Value;

    static readonly Lazy<string> mnistFolder = new(WriteMnistFolder);

    /// <summary>
    /// A data folder for commands that need all four MNIST files (train, lesson): <see cref="MnistTrainPart"/>
    /// as the training files and <see cref="MnistTestPart"/> as the test files. Made once per test run; read only.
    /// </summary>
    public static string MnistFolder => mnistFolder.Value;

    static string WriteMnistFolder()
    {
        var folder = new TempFolder(); // kept for the whole test run, then deleted
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        File.WriteAllBytes(folder[DatasetInfo.TrainImagesFile], Idx.Gzip(Idx.Images(MnistTrainPart)));
        File.WriteAllBytes(folder[DatasetInfo.TrainLabelsFile], Idx.Gzip(Idx.Labels(MnistTrainPart)));
        File.WriteAllBytes(folder[DatasetInfo.TestImagesFile], Idx.Gzip(Idx.Images(MnistTestPart)));
        File.WriteAllBytes(folder[DatasetInfo.TestLabelsFile], Idx.Gzip(Idx.Labels(MnistTestPart)));
        return folder.Path;
    }
}
