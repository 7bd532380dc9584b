namespace MnistTrainer.Tests;

/// <summary>
/// A fact that drives Debian's Chromium (package <c>chromium</c>, which .ci/run installs): skipped with the
/// reason when it is missing, unless <see cref="TestData.RequireVariable"/> is 1.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (TestData.Required) return;
        if (!File.Exists(Chromium))
            Skip = $"{Chromium} not found; to run this test: {TestData.AptInstall("chromium")}";
    }
}
