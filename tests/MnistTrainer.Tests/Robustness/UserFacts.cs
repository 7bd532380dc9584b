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

/// <summary>
/// A test of what a user meets when a file's mode denies them (<see cref="ChildProcess.RunBoundByFileModes"/>): as
/// root it needs setpriv, and is skipped, saying so, without it.
/// </summary>
public sealed class FileModeFactAttribute : FactAttribute
{
    public FileModeFactAttribute()
    {
        if (CurrentUser.IsRoot && !File.Exists(ChildProcess.SetPriv))
            Skip = $"as root, file modes bind the program only when it runs without root's file capabilities, through {ChildProcess.SetPriv}, which is missing; to run this test: apt-get install util-linux, or run dotnet test as a user other than root";
    }
}
