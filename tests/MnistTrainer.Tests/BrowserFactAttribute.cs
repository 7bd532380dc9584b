namespace MnistTrainer.Tests;

/// <summary>
/// A fact that drives Debian's Chromium (package <c>chromium</c>, which .ci/run installs) on the real
/// test digits: skipped with the reason when either is missing, unless <see cref="TestData.RequireVariable"/> is 1.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (TestData.Required) return;
        if (!File.Exists(Chromium))
            Skip = $"{Chromium} not found (apt-get install chromium); set {TestData.RequireVariable}=1 to fail instead of skipping";
        else if (!TestData.IsAvailable(RealData.MnistT10k))
            Skip = $"{RealData.MnistT10k} test data not found in {TestData.Folder(RealData.MnistT10k)}; set {TestData.RequireVariable}=1 to fail instead of skipping";
    }
}
