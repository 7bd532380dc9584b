using System.Text;
using System.Text.RegularExpressions;

namespace MnistTrainer.Native;

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
