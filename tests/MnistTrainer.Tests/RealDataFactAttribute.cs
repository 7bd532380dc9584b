namespace MnistTrainer.Tests;

/// <summary>
/// A fact that needs real data from outside the repository: skipped, saying why and how to get the data,
/// when it is missing, unless <see cref="TestData.RequireVariable"/> is 1, in which case it runs (and fails).
/// </summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(RealData data)
    {
        if (TestData.SkipReason(data) is { } reason) Skip = reason;
    }
}
