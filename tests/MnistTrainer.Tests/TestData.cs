using MnistTrainer.Data;

namespace MnistTrainer.Tests;

/// <summary>Real datasets that some tests read; they are not in the repository.</summary>
public enum RealData
{
    /// <summary>MNIST's official test split, in <c>&lt;repo&gt;/../shared/data/mnist-t10k</c>.</summary>
    MnistT10k,
    /// <summary>All of Fashion-MNIST, from Debian's dataset-fashion-mnist package.</summary>
    FashionMnist,
}

/// <summary>
/// Where the real data lives and whether tests needing it should run. Missing data skips those tests,
/// unless <see cref="RequireVariable"/> is 1 (as on CI), where they run and fail.
/// </summary>
public static class TestData
{
    public const string RequireVariable = "MNIST_TRAINER_REQUIRE_DATA";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary><c>shared/</c> beside the checkout these tests were built from.</summary>
    public static string SharedDir => Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared"));

    public static string Folder(RealData data) => data switch
    {
        RealData.MnistT10k => Path.Combine(SharedDir, "data", "mnist-t10k"),
        RealData.FashionMnist => DatasetInfo.FashionMnist.SystemFolder!,
        _ => throw new ArgumentOutOfRangeException(nameof(data)),
    };

    public static IReadOnlyList<string> FileNames(RealData data) => data switch
    {
        RealData.MnistT10k => [DatasetInfo.TestImagesFile, DatasetInfo.TestLabelsFile],
        _ => DatasetInfo.Files,
    };

    public static bool IsAvailable(RealData data) => FileNames(data).All(f => File.Exists(Path.Combine(Folder(data), f)));

    /// <summary>The path of one of the real files; fails with a clear message when it is missing.</summary>
    public static string PathOf(RealData data, string fileName)
    {
        var path = Path.Combine(Folder(data), fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"real test data {data} is missing: {path} (required because {RequireVariable}=1)", path);
        return path;
    }

    /// <summary>The checkout these tests were built from (the folder with MnistTrainer.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistTrainer.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no MnistTrainer.sln above {AppContext.BaseDirectory}");
    }
}
