using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;

namespace MnistTrainer.Native;

/// <summary>TorchSharp's native library could not be loaded; the message is one paragraph saying why and what to do.</summary>
public sealed class NativeLibraryException(string message, Exception inner) : Exception(message, inner);

/// <summary>Loads TorchSharp's native libraries up front, so that a failure is one clear message, not TorchSharp's trace.</summary>
public static class TorchRuntime
{
    /// <summary>TorchSharp 0.107's libLibTorchSharp.so is linked against GCC 13's libstdc++.</summary>
    const string RequiredGlibcxx = "GLIBCXX_3.4.32";
    const string LinuxLibrary = "libLibTorchSharp.so";
    static readonly Lock Loading = new();
    static bool loaded;

    /// <summary>Initializes TorchSharp for the CPU, once; safe to call again, from any thread.</summary>
    /// <exception cref="NativeLibraryException">The native library cannot be loaded.</exception>
    public static void EnsureLoaded()
    {
        // Once: the console is swapped for the load below, and two threads swapping it at once could leave it silenced.
        lock (Loading)
        {
            if (loaded) return;
            Load();
            loaded = true;
        }
    }

    static void Load()
    {
        // On Linux, load the library ourselves first: the loader's reason is then at hand, and TorchSharp
        // does not get to fall back on copying libtorch from the NuGet cache into the program's folder.
        var library = OperatingSystem.IsLinux() ? FindLinuxLibrary() : null;
        if (library != null)
        {
            try
            {
                NativeLibrary.Load(library);
            }
            catch (DllNotFoundException e)
            {
                throw new NativeLibraryException(Explain(library, Lines(e.Message)[^1]), e);
            }
        }

        // TorchSharp prints its whole load trace to stdout before it throws.
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e)
        {
            var reason = library == null && OperatingSystem.IsLinux()
                ? $"it is not in {AppContext.BaseDirectory}"
                : Lines(e.GetBaseException().Message)[0];
            throw new NativeLibraryException(Explain(library ?? "LibTorchSharp", reason), e);
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }

    /// <summary>Where a RID-specific build (the program's folder) or a portable one (runtimes/) put the library.</summary>
    static string? FindLinuxLibrary() => new[]
        {
            Path.Combine(AppContext.BaseDirectory, LinuxLibrary),
            Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", LinuxLibrary),
        }
        .FirstOrDefault(File.Exists);

    static string Explain(string library, string reason)
    {
        var failed = $"TorchSharp could not load its native library {library}: {reason}.";
        if (OperatingSystem.IsWindows())
            return $"{failed} TorchSharp 0.107.0 does not load on Windows: its LibTorchSharp.dll needs functions that the " +
                   "libtorch DLLs it ships with do not have (upstream issue https://github.com/dotnet/TorchSharp/issues/1567). " +
                   "Run MnistTrainer on Linux (or WSL) until a TorchSharp release fixes it.";
        if (!OperatingSystem.IsLinux())
            return $"{failed} Rebuild the program (dotnet build) so that its folder holds TorchSharp's native files for this system.";

        var libStdCxx = LibStdCxx.Find();
        var newest = libStdCxx == null ? null : LibStdCxx.NewestGlibcxx(libStdCxx);
        var found = libStdCxx == null
            ? "No libstdc++ was found on this system."
            : $"This system's C++ runtime is {libStdCxx}, whose newest version is {newest ?? "unknown"}.";
        if (newest != null && GlibcxxNumber(newest) >= GlibcxxNumber(RequiredGlibcxx))
            return $"{failed} {found} That is new enough, so the cause is elsewhere: rebuild the program (dotnet build) " +
                   "so that its folder holds all of libtorch's libraries; see docs/linux-libstdcxx.md.";
        return $"{failed} {found} TorchSharp needs {RequiredGlibcxx} (GCC 13 or later); the build patches a copy of the " +
               "library when it runs on a system without it. Rebuild or republish on this machine (or publish elsewhere " +
               "with -p:PatchLibTorchSharp=true), or install a libstdc++ from GCC 13 or later; see docs/linux-libstdcxx.md.";
    }

    static Version GlibcxxNumber(string glibcxx) => Version.Parse(glibcxx["GLIBCXX_".Length..]);

    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The GNU C++ runtime (libstdc++) that this process uses on Linux.</summary>
public static partial class LibStdCxx
{
    static readonly string[] LibDirs =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    /// <summary>
    /// The one mapped into this process (the .NET host links it), else the first in the usual
    /// library folders; null if none.
    /// </summary>
    public static string? Find()
    {
        if (File.Exists("/proc/self/maps"))
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var path = line.IndexOf('/');
                if (path >= 0 && Path.GetFileName(line).StartsWith("libstdc++.so"))
                    return line[path..];
            }
        }
        return LibDirs.Select(dir => Path.Combine(dir, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    /// <summary>The highest GLIBCXX symbol version the library provides, such as "GLIBCXX_3.4.30"; null if none.</summary>
    public static string? NewestGlibcxx(string path) =>
        GlibcxxVersion().Matches(Encoding.Latin1.GetString(File.ReadAllBytes(path)))
            .Select(m => Version.Parse(m.Groups[1].Value))
            .Order()
            .Select(v => $"GLIBCXX_{v}")
            .LastOrDefault();

    [GeneratedRegex(@"GLIBCXX_(\d+\.\d+(?:\.\d+)?)\0")]
    private static partial Regex GlibcxxVersion();
}
