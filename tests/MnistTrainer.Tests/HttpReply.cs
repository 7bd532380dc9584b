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

    /// <summary>Send no Content-Length: the body ends when the connection closes.</summary>
    public bool WithoutLength { get; init; }

    /// <summary>Send the body one byte at a time, this long apart (a server that drips).</summary>
    public TimeSpan? DripEvery { get; init; }

    public static HttpReply Ok(byte[] body) => new(200, body);

    public static HttpReply NotFound() => new(404, "not found"u8.ToArray());

    /// <summary>Promises <paramref name="promised"/> bytes, sends <paramref name="body"/>, then closes the connection.</summary>
    public static HttpReply Truncated(byte[] body, long promised) => new(200, body) { ContentLength = promised };

    /// <summary>Sends <paramref name="body"/> one byte every <paramref name="interval"/>: never silent long enough for an idle timeout.</summary>
    public static HttpReply Drip(byte[] body, TimeSpan interval) => new(200, body) { DripEvery = interval };

    /// <summary>Sends <paramref name="body"/> without saying its length, ending it by closing the connection.</summary>
    public static HttpReply Unannounced(byte[] body) => new(200, body) { WithoutLength = true };

    public static HttpReply Hang() => new(200, []) { HangBeforeHeaders = true };

    /// <summary>Promises <paramref name="promised"/> bytes, sends <paramref name="firstPart"/>, then goes silent.</summary>
    public static HttpReply Stall(byte[] firstPart, long promised) => new(200, firstPart) { ContentLength = promised, HangAfterBody = true };
}
