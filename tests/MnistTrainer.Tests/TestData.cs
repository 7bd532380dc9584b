using MnistTrainer.Data;

namespace MnistTrainer.Tests;

/// <summary>Real datasets that are not in the repository, which some tests read when they are on this machine.</summary>
public enum RealData
{
    /// <summary>MNIST's official test files, unchanged, in <c>&lt;repo&gt;/../shared/data/mnist-t10k</c> (on CI).</summary>
    MnistT10k,
    /// <summary>All of Fashion-MNIST, from Debian's dataset-fashion-mnist package.</summary>
    FashionMnist,
}

/// <summary>
/// Where the real data lives. MNIST digits are always here: the subset committed in
/// <c>tests/fixtures/mnist-subset/</c>. Data from outside the repository (<see cref="RealData"/>) may be
/// missing: its tests are then skipped, unless <see cref="RequireVariable"/> is 1 (as on CI), where they
/// run and fail.
/// </summary>
public static class TestData
{
    public const string RequireVariable = "MNIST_TRAINER_REQUIRE_DATA";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>8,000 images of MNIST's official test set, as t10k-*.gz files (see the README there).</summary>
    public static string MnistSubsetFolder => Path.Combine(AppContext.BaseDirectory, "fixtures", "mnist-subset");

    public static string MnistSubsetFile(string fileName) => Path.Combine(MnistSubsetFolder, fileName);

    public static string Folder(RealData data) => data switch
    {
        RealData.MnistT10k => Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "data", "mnist-t10k")),
        RealData.FashionMnist => DatasetInfo.FashionMnist.SystemFolder!,
        _ => throw new ArgumentOutOfRangeException(nameof(data)),
    };

    /// <summary>The command that gets the data on this machine, for the skip message.</summary>
    public static string HowToGet(RealData data) => data switch
    {
        // The official files are what the program downloads (checked against their MD5s) into the checkout's data/mnist/.
        RealData.MnistT10k => $"mkdir -p {Folder(data)} && cp {Path.Combine(RepoRoot(), "data", "mnist")}/t10k-*.gz {Folder(data)}/"
            + " (data/mnist/ has them once `dotnet run --project src/MnistTrainer -- train` has downloaded MNIST)",
        RealData.FashionMnist => AptInstall("dataset-fashion-mnist"),
        _ => throw new ArgumentOutOfRangeException(nameof(data)),
    };

    /// <summary>The command that installs a Debian or Ubuntu package: with sudo, except as root (who may have no sudo).</summary>
    public static string AptInstall(string package) => $"{(Robustness.CurrentUser.IsRoot ? "" : "sudo ")}apt-get install {package}";

    public static bool IsAvailable(RealData data) => FileNames(data).All(f => File.Exists(Path.Combine(Folder(data), f)));

    static IReadOnlyList<string> FileNames(RealData data) =>
        data == RealData.MnistT10k ? [DatasetInfo.TestImagesFile, DatasetInfo.TestLabelsFile] : DatasetInfo.Files;

    /// <summary>Why a test of <paramref name="data"/> is skipped, or null when it runs.</summary>
    public static string? SkipReason(RealData data) => IsAvailable(data) || Required ? null :
        $"{data} is not on this machine (looked in {Folder(data)}); to run this test: {HowToGet(data)}";

    /// <summary>The path of one of the real files; fails with a clear message when it is missing.</summary>
    public static string PathOf(RealData data, string fileName)
    {
        var path = Path.Combine(Folder(data), fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"real test data {data} is missing: {path}" + (Required ? $" (required because {RequireVariable}=1)" : ""), path);
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
