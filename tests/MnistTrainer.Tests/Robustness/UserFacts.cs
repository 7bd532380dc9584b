namespace MnistTrainer.Tests.Robustness;

static class CurrentUser
{
    public static bool IsRoot => Environment.UserName == "root";
}

/// <summary>A test that needs root (to mount a small tmpfs): skipped, saying so, otherwise; the injected-failure tests cover the rest.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!CurrentUser.IsRoot) Skip = "needs root (to mount a 1 MiB tmpfs, or to make a device node; a full disk is also shown by an injected failure); to run this test: run dotnet test as root";
    }
}
