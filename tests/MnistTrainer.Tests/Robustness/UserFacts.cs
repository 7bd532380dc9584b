namespace MnistTrainer.Tests.Robustness;

static class CurrentUser
{
    public static bool IsRoot => Environment.UserName == "root";
}

/// <summary>A test of file permissions, which root bypasses: skipped, saying so, when the tests run as root.</summary>
public sealed class NotRootFactAttribute : FactAttribute
{
    public NotRootFactAttribute()
    {
        if (CurrentUser.IsRoot) Skip = "running as root, which reads files whatever their mode bits (the case runs as user nobody instead)";
    }
}

/// <summary>A test that drops to user nobody with setpriv, which only root can do.</summary>
public sealed class RootWithSetprivFactAttribute : FactAttribute
{
    public RootWithSetprivFactAttribute()
    {
        if (!CurrentUser.IsRoot) Skip = "not running as root: the permission case runs directly instead";
        else if (!File.Exists(ChildProcess.Setpriv)) Skip = $"{ChildProcess.Setpriv} is missing, so the program cannot be run as another user";
        else if (ChildProcess.FolderClosedToOthers(AppContext.BaseDirectory) is { } closed) Skip = $"user nobody cannot reach the built program: {closed} is closed to other users";
    }
}

/// <summary>A test that needs root (to mount a small tmpfs): skipped, saying so, otherwise; the injected-failure tests cover the rest.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!CurrentUser.IsRoot) Skip = "needs root to mount a 1 MiB tmpfs (a full disk is also shown by an injected failure)";
    }
}
