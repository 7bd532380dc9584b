using MnistTrainer.Data;

namespace MnistTrainer.Tests;

// Temporary: a minimal locator for the real MNIST test set until TestData.cs and [RealDataFact]
// land on main; then this file goes and the tests use those.

/// <summary>The real MNIST test set (t10k) that the workplace keeps beside the checkout, in ../shared/data/mnist-t10k.</summary>
public static class T10kData
{
    public const string RequireVariable = "MNIST_TRAINER_REQUIRE_DATA";

    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "..", "shared", "data", "mnist-t10k");

    public static bool IsPresent =>
        File.Exists(Path.Combine(Folder, DatasetInfo.TestImagesFile)) && File.Exists(Path.Combine(Folder, DatasetInfo.TestLabelsFile));

    static readonly Lazy<LabeledImages> Images = new(() => DatasetFiles.Load(
        Path.Combine(Folder, DatasetInfo.TestImagesFile), Path.Combine(Folder, DatasetInfo.TestLabelsFile), DatasetInfo.Mnist.ClassCount));

    /// <summary>All 10,000 images, read once per test run.</summary>
    public static LabeledImages Load() => Images.Value;

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistTrainer.sln"))) return dir.FullName;
        throw new InvalidOperationException("the tests do not run from inside a MnistTrainer checkout");
    }
}

/// <summary>A test on the real t10k files: skipped, with the reason shown, when they are missing, unless MNIST_TRAINER_REQUIRE_DATA=1.</summary>
public sealed class T10kFactAttribute : FactAttribute
{
    public T10kFactAttribute()
    {
        if (!T10kData.IsPresent && Environment.GetEnvironmentVariable(T10kData.RequireVariable) != "1")
            Skip = $"real MNIST test set not found in {T10kData.Folder} (set {T10kData.RequireVariable}=1 to make this a failure)";
    }
}
