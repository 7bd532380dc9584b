namespace MnistTrainer.Tests;

/// <summary>The theory form of <see cref="RealDataFactAttribute"/>.</summary>
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute(RealData data)
    {
        if (!TestData.IsAvailable(data) && !TestData.Required)
            Skip = $"{data} test data not found in {TestData.Folder(data)}; set {TestData.RequireVariable}=1 to fail instead of skipping";
    }
}
