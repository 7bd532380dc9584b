using System.Collections.Concurrent;

namespace MnistTrainer.Web;

/// <summary>The page's files (index.html, favicon.svg), built into the program: nothing beside it, no build step.</summary>
public static class PageFiles
{
    static readonly ConcurrentDictionary<string, byte[]> Loaded = new();

    /// <summary>The bytes of the page file <paramref name="name"/>, read from the assembly once.</summary>
    public static byte[] Get(string name) => Loaded.GetOrAdd(name, n =>
    {
        using var stream = typeof(PageFiles).Assembly.GetManifestResourceStream($"MnistTrainer.Web.{n}")
            ?? throw new ArgumentException($"no page file {n} in the program", nameof(name));
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    });
}
