using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MnistTrainer.Tests;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1, on a free port, that answers each path with a scripted
/// <see cref="HttpReply"/> (unknown paths get 404), one request per connection. Written on raw TCP so
/// that tests can make a mirror fail in exact ways: wrong length, silence, a connection cut mid-body.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stopping = new();
    readonly ConcurrentDictionary<string, HttpReply> replies = new();

    public LocalHttpServer()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";

    /// <summary>The paths requested, in order of arrival, e.g. <c>/good/file.gz</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>
    /// Each reply that has stopped sending for good (<see cref="HttpReply.HangBeforeHeaders"/>, <see cref="HttpReply.HangAfterBody"/>)
    /// or sent the first byte of a drip, as it happens: the moment from which a client can only wait. Its
    /// <see cref="WaitingReply.ClientLeft"/> completes when the client closes that connection.
    /// </summary>
    public BlockingCollection<WaitingReply> Waiting { get; } = [];

    /// <summary>A reply holding a client up, and when the client gave up on it.</summary>
    public sealed record WaitingReply(HttpReply Reply, Task ClientLeft);

    /// <summary>Answers a GET of <see cref="BaseUrl"/> + <paramref name="path"/> with <paramref name="reply"/>.</summary>
    public void Serve(string path, HttpReply reply) => replies["/" + path] = reply;

    /// <summary>A base URL on 127.0.0.1 where nothing listens: connecting is refused.</summary>
    public static string RefusedUrl()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}/";
    }

    async Task AcceptAsync()
    {
        try
        {
            while (true)
                _ = HandleAsync(await listener.AcceptTcpClientAsync(stopping.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        var left = new TaskCompletionSource();
        try
        {
            var stream = client.GetStream();
            var path = await ReadRequestPathAsync(stream);
            Requests.Enqueue(path);
            var reply = replies.GetValueOrDefault(path) ?? HttpReply.NotFound();
            if (reply.HangBeforeHeaders)
            {
                Waiting.Add(new WaitingReply(reply, left.Task));
                await UntilTheClientLeaves(stream);
                return;
            }
            var head = $"HTTP/1.1 {reply.Status} {(reply.Status == 200 ? "OK" : "Not Found")}\r\n" +
                       (reply.WithoutLength ? "" : $"Content-Length: {reply.ContentLength ?? reply.Body.Length}\r\n") +
                       "Connection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stopping.Token);
            if (reply.DripEvery is { } interval)
                for (int i = 0; i < reply.Body.Length; i++)
                {
                    await stream.WriteAsync(reply.Body.AsMemory(i, 1), stopping.Token);
                    if (i == 0) Waiting.Add(new WaitingReply(reply, left.Task));
                    await Task.Delay(interval, stopping.Token);
                }
            else
                await stream.WriteAsync(reply.Body, stopping.Token);
            if (reply.HangAfterBody)
            {
                await stream.FlushAsync(stopping.Token);
                Waiting.Add(new WaitingReply(reply, left.Task));
                await UntilTheClientLeaves(stream);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // The server stopped or the client went away.
        }
        finally
        {
            left.TrySetResult();
        }
    }

    /// <summary>Says nothing more and returns when the client closes the connection (its request is read already).</summary>
    async Task UntilTheClientLeaves(NetworkStream stream)
    {
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, stopping.Token) > 0) { }
    }

    async Task<string> ReadRequestPathAsync(NetworkStream stream)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
        var requestLine = await reader.ReadLineAsync(stopping.Token) ?? "";
        while (!string.IsNullOrEmpty(await reader.ReadLineAsync(stopping.Token))) { }
        return requestLine.Split(' ')[1];
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
    }
}
