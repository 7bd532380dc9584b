namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// Where the real IDX files are on this machine. Kept in this one file so it can be swapped for the
/// shared TestData / [RealDataFact] helpers once they are on main.
/// </summary>
public static class RobustData
{
    public const string RequireVariable = "MNIST_TRAINER_REQUIRE_DATA";
    public const string MnistTestFolder = "/work/shared/data/mnist-t10k";
    public const string FashionFolder = "/usr/share/datasets/fashion-mnist";

    public static string MnistTestImages => Path.Combine(FindMnistTestFolder()!, "t10k-images-idx3-ubyte.gz");
    public static string MnistTestLabels => Path.Combine(FindMnistTestFolder()!, "t10k-labels-idx1-ubyte.gz");

    /// <summary>The MNIST test set: ../shared/data/mnist-t10k beside the checkout (as CI lays it) or the developers' copy.</summary>
    public static string? FindMnistTestFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var beside = Path.Combine(dir.FullName, "shared", "data", "mnist-t10k");
            if (File.Exists(Path.Combine(beside, "t10k-images-idx3-ubyte.gz"))) return beside;
        }
        return File.Exists(Path.Combine(MnistTestFolder, "t10k-images-idx3-ubyte.gz")) ? MnistTestFolder : null;
    }

    public static string? MissingReason =>
        FindMnistTestFolder() == null ? $"the MNIST test set is not on this machine (looked for {MnistTestFolder} and ../shared/data/mnist-t10k)" : null;
}

/// <summary>A test that needs the real MNIST test files: skipped, saying why, when they are absent, unless MNIST_TRAINER_REQUIRE_DATA=1.</summary>
public sealed class RobustDataFactAttribute : FactAttribute
{
    public RobustDataFactAttribute()
    {
        if (RobustData.MissingReason is { } reason && Environment.GetEnvironmentVariable(RobustData.RequireVariable) != "1")
            Skip = reason;
    }
}

/// <summary>The theory form of <see cref="RobustDataFactAttribute"/>.</summary>
public sealed class RobustDataTheoryAttribute : TheoryAttribute
{
    public RobustDataTheoryAttribute()
    {
        if (RobustData.MissingReason is { } reason && Environment.GetEnvironmentVariable(RobustData.RequireVariable) != "1")
            Skip = reason;
    }
}
