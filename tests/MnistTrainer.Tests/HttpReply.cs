namespace MnistTrainer.Tests;

/// <summary>What <see cref="LocalHttpServer"/> answers for one path, including deliberately broken answers.</summary>
public sealed record HttpReply(int Status, byte[] Body)
{
    /// <summary>The Content-Length sent; the body's real length when null.</summary>
    public long? ContentLength { get; init; }

    /// <summary>Read the request, then send nothing until the server stops.</summary>
    public bool HangBeforeHeaders { get; init; }

    /// <summary>After the body, keep the connection open and silent instead of closing it.</summary>
    public bool HangAfterBody { get; init; }

    public static HttpReply Ok(byte[] body) => new(200, body);

    public static HttpReply NotFound() => new(404, "not found"u8.ToArray());

    /// <summary>Promises <paramref name="promised"/> bytes, sends <paramref name="body"/>, then closes the connection.</summary>
    public static HttpReply Truncated(byte[] body, long promised) => new(200, body) { ContentLength = promised };

    public static HttpReply Hang() => new(200, []) { HangBeforeHeaders = true };

    /// <summary>Promises <paramref name="promised"/> bytes, sends <paramref name="firstPart"/>, then goes silent.</summary>
    public static HttpReply Stall(byte[] firstPart, long promised) => new(200, firstPart) { ContentLength = promised, HangAfterBody = true };
}
