using System.Net.Sockets;
using System.Text;

namespace MnistTrainer.Tests.Web;

/// <summary>
/// HTTP/1.1 written by hand on a socket, for requests <see cref="HttpClient"/> will not send: malformed chunked
/// bodies, bodies that stop halfway, request lines and headers past the limits.
/// </summary>
public static class RawHttp
{
    /// <summary>The answer's status, headers (as one text) and body, as received until the server closed or stopped sending.</summary>
    public sealed record Answer(int Status, string Head, string Body);

    /// <summary>
    /// Sends <paramref name="request"/> (the head and any body, as written) to the server at <paramref name="url"/>
    /// and, without closing its side, reads the answer (up to a minute).
    /// </summary>
    public static async Task<Answer> SendAsync(Uri url, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (!Complete(received.ToArray()))
        {
            int n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) break;
            received.Write(buffer, 0, n);
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) throw new InvalidDataException($"no complete answer: {text}");
        var head = text[..split];
        var body = text[(split + 4)..];
        return new Answer(int.Parse(head.Split(' ')[1]), head, Chunked(head) ? Unchunk(body) : body);
    }

    static bool Chunked(string head) => head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the bytes hold a whole answer: its Content-Length reached, or its last chunk.</summary>
    static bool Complete(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) return false;
        if (Chunked(text[..split])) return text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        var length = text[..split].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length != null && bytes.Length - split - 4 >= int.Parse(length.Split(':')[1].Trim());
    }

    /// <summary>A chunked body's content: each chunk is its length in hexadecimal, a line end, the bytes and a line end.</summary>
    static string Unchunk(string body)
    {
        var content = new StringBuilder();
        int at = 0;
        while (true)
        {
            int end = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(body[at..end], 16);
            if (size == 0) return content.ToString();
            content.Append(body, end + 2, size);
            at = end + 2 + size + 2;
        }
    }
}
