using MnistTrainer.Data;

namespace MnistTrainer.Tests;

/// <summary>
/// The real datasets on this machine, found directly. Stands in until TestData.cs and its
/// [RealDataFact] are on main; then this file is the one to swap.
/// </summary>
public static class LocalData
{
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";
    public const string MnistTestFolder = "/work/shared/data/mnist-t10k";
    public const string RequireVariable = "MNIST_TRAINER_REQUIRE_DATA";

    static readonly Lazy<LabeledImages> mnistTest = new(() => Load(MnistTestFolder, DatasetInfo.TestImagesFile, DatasetInfo.TestLabelsFile));
    static readonly Lazy<LabeledImages> fashionTrain = new(() => Load(FashionMnistFolder, DatasetInfo.TrainImagesFile, DatasetInfo.TrainLabelsFile));
    static readonly Lazy<LabeledImages> fashionTest = new(() => Load(FashionMnistFolder, DatasetInfo.TestImagesFile, DatasetInfo.TestLabelsFile));

    /// <summary>The 10,000 MNIST test images: real handwritten digits, the lesson's own dataset.</summary>
    public static LabeledImages MnistTest => mnistTest.Value;
    public static LabeledImages FashionTrain => fashionTrain.Value;
    public static LabeledImages FashionTest => fashionTest.Value;

    public static bool Has(string folder) => Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*-ubyte*").Any();

    static LabeledImages Load(string folder, string images, string labels) =>
        DatasetFiles.Load(Path.Combine(folder, images), Path.Combine(folder, labels), classCount: 10);
}

/// <summary>A test that needs a real dataset folder: skipped, visibly, when it is missing, unless MNIST_TRAINER_REQUIRE_DATA=1.</summary>
public sealed class LocalDataFactAttribute : FactAttribute
{
    public LocalDataFactAttribute(string folder)
    {
        if (!LocalData.Has(folder) && Environment.GetEnvironmentVariable(LocalData.RequireVariable) != "1")
            Skip = $"needs the real dataset in {folder} (set {LocalData.RequireVariable}=1 to fail instead of skipping)";
    }
}
