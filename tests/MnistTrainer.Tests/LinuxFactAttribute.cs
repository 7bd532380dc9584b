namespace MnistTrainer.Tests;

/// <summary>A fact about Linux-only behaviour (libstdc++, ELF files); skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Linux only";
    }
}
