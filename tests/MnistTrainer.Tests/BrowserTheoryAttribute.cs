namespace MnistTrainer.Tests;

/// <summary>A theory that drives Debian's Chromium: skipped as <see cref="BrowserFactAttribute"/> is.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute() => Skip = new BrowserFactAttribute().Skip;
}
