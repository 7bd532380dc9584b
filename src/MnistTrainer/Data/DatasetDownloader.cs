using System.Security.Cryptography;
using MnistTrainer.Files;

namespace MnistTrainer.Data;

/// <summary>
/// Downloads a dataset's missing files, trying its mirrors in order. A file is streamed to a temporary
/// name beside its final one (a <see cref="FileReplacement"/>) and only renamed once its length and MD5 check
/// out, so a half-written or wrong file never sits under the name the loader looks for. A body longer than the
/// file's known size, a server silent for the idle timeout and a file not complete by the deadline all move on
/// to the next mirror. Tests pass their own client, short timeouts and a clock they move by hand.
/// </summary>
public sealed class DatasetDownloader(HttpClient? http = null, TimeSpan? idleTimeout = null, TimeSpan? deadline = null, TimeProvider? clock = null)
{
    static readonly HttpClient SharedClient = new();

    readonly HttpClient http = http ?? SharedClient;
    readonly TimeSpan idleTimeout = idleTimeout ?? TimeSpan.FromSeconds(30);
    // Per file: Fashion-MNIST's largest (26 MB) in 15 minutes is 30 KB/s, slower than any working mirror.
    readonly TimeSpan deadline = deadline ?? TimeSpan.FromMinutes(15);
    readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>Downloads each of the four files that <paramref name="targetFolder"/> lacks (gzipped or plain).</summary>
    public void DownloadAll(DatasetInfo dataset, string targetFolder, IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        Directory.CreateDirectory(targetFolder);
        foreach (var file in DatasetInfo.Files)
            if (DatasetLocator.FindFile(targetFolder, file) == null)
                // The caller is a console command with no synchronization context, so blocking here cannot deadlock.
                DownloadFileAsync(dataset, file, targetFolder, progress, cancel).GetAwaiter().GetResult();
    }

    async Task DownloadFileAsync(DatasetInfo dataset, string file, string targetFolder, IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        var failures = new List<string>();
        foreach (var mirror in dataset.Mirrors)
        {
            var url = mirror + file;
            var failure = await TryDownloadAsync(url, file, dataset.KnownFiles[file], targetFolder, progress, cancel).ConfigureAwait(false);
            if (failure == null) return;
            failures.Add($"  {url}: {failure}");
        }
        throw new DownloadException($"could not download {file} from any mirror:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>Returns null when the file is in place and verified, otherwise what went wrong.</summary>
    async Task<string?> TryDownloadAsync(string url, string file, KnownFile known, string targetFolder,
        IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        // Cancelled when the user cancels, when the server sends nothing for idleTimeout (every chunk restarts that
        // clock), or when the file is not complete by the deadline (a server that drips a byte now and then).
        using var idle = new CancellationTokenSource(idleTimeout, clock);
        using var overall = new CancellationTokenSource(deadline, clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, idle.Token, overall.Token);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stop.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            long? total = response.Content.Headers.ContentLength;
            if (total > known.Size)
                return $"the server announces {total:N0} bytes, but the file is {known.Size:N0}";
            await using var body = await response.Content.ReadAsStreamAsync(stop.Token).ConfigureAwait(false);

            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            using var part = new FileReplacement(Path.GetFullPath(Path.Combine(targetFolder, file)));
            long received = 0;
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await body.ReadAsync(buffer, stop.Token).ConfigureAwait(false)) > 0)
            {
                idle.CancelAfter(idleTimeout);
                received += n;
                if (received > known.Size)
                    return $"body longer than the file's known size of {known.Size:N0} bytes";
                md5.AppendData(buffer, 0, n);
                await part.Stream.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                progress?.Report(new DownloadProgress(file, url, received, total ?? known.Size));
            }
            if (received < known.Size)
                return $"body cut short: {received:N0} of {known.Size:N0} bytes";
            var actualMd5 = Convert.ToHexStringLower(md5.GetHashAndReset());
            if (!string.Equals(actualMd5, known.Md5, StringComparison.OrdinalIgnoreCase))
                return $"checksum mismatch: MD5 of the {received:N0} bytes received is {actualMd5}, expected {known.Md5}";
            part.Commit();
            return null;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return overall.IsCancellationRequested
                ? $"timed out: not complete after {deadline.TotalSeconds:0.###} s"
                : $"timed out: no data for {idleTimeout.TotalSeconds:0.###} s";
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}

/// <summary>How far a download is: <paramref name="TotalBytes"/> is null when the server does not say.</summary>
public sealed record DownloadProgress(string FileName, string Url, long BytesReceived, long? TotalBytes);

/// <summary>Every mirror failed for a file; the message says what each one did.</summary>
public sealed class DownloadException(string message) : Exception(message);
