using System.Reflection;
using TorchSharp;

namespace MnistTrainer.Tests;

/// <summary>Files of the restored TorchSharp package in the NuGet cache, which the build must never change.</summary>
static class PackageCache
{
    public static string LibTorchSharp => Path.Combine(Root, "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    static string Root => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
        ? custom
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    static string TorchSharpVersion => typeof(torch).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
}
