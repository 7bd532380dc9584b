namespace MnistTrainer.Tests;

/// <summary>
/// A fact that needs real data: skipped, with the reason shown, when the data is missing, unless
/// <see cref="TestData.RequireVariable"/> is 1, in which case it runs (and fails).
/// </summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(RealData data)
    {
        if (!TestData.IsAvailable(data) && !TestData.Required)
            Skip = $"{data} test data not found in {TestData.Folder(data)}; set {TestData.RequireVariable}=1 to fail instead of skipping";
    }
}
