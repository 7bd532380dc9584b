using System.Security.Cryptography;

namespace MnistTrainer.Data;

/// <summary>
/// Downloads a dataset's missing files, trying its mirrors in order. A file is streamed to a temporary
/// name beside its final one and only renamed once its length and MD5 check out, so a half-written or
/// wrong file never sits under the name the loader looks for. Tests pass their own client and a short timeout.
/// </summary>
public sealed class DatasetDownloader(HttpClient? http = null, TimeSpan? idleTimeout = null)
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    static readonly HttpClient SharedClient = new();

    readonly HttpClient http = http ?? SharedClient;
    readonly TimeSpan idleTimeout = idleTimeout ?? DefaultIdleTimeout;

    /// <summary>Downloads each of the four files that <paramref name="targetFolder"/> lacks (gzipped or plain).</summary>
    /// <exception cref="DownloadException">Every mirror failed for a file; the message lists what each one did.</exception>
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
            var failure = await TryDownloadAsync(url, file, dataset.Md5ByFile[file], targetFolder, progress, cancel).ConfigureAwait(false);
            if (failure == null) return;
            failures.Add($"  {url}: {failure}");
        }
        throw new DownloadException($"could not download {file} from any mirror:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>Returns null when the file is in place and verified, otherwise what went wrong.</summary>
    async Task<string?> TryDownloadAsync(string url, string file, string expectedMd5, string targetFolder,
        IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        var temp = Path.Combine(targetFolder, $"{file}.part-{Random.Shared.Next():x8}");
        // Cancelled when the user cancels, or when the server sends nothing for idleTimeout; every chunk restarts the clock.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        idle.CancelAfter(idleTimeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            long? total = response.Content.Headers.ContentLength;
            await using var body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);

            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long received = 0;
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false)) > 0)
                {
                    idle.CancelAfter(idleTimeout);
                    md5.AppendData(buffer, 0, n);
                    await output.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                    received += n;
                    progress?.Report(new DownloadProgress(file, url, received, total));
                }
                if (received < total)
                    return $"body cut short: {received:N0} of {total:N0} bytes";
                var actualMd5 = Convert.ToHexStringLower(md5.GetHashAndReset());
                if (!string.Equals(actualMd5, expectedMd5, StringComparison.OrdinalIgnoreCase))
                    return $"checksum mismatch: MD5 of the {received:N0} bytes received is {actualMd5}, expected {expectedMd5}";
                output.Flush(flushToDisk: true);
            }
            File.Move(temp, Path.Combine(targetFolder, file), overwrite: true);
            return null;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return $"timed out: no data for {idleTimeout.TotalSeconds:0.###} s";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return e.Message;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
