using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using MnistTrainer.Data;

namespace MnistTrainer.Tests.Data;

public sealed class DatasetDownloaderTests : IDisposable
{
    /// <summary>
    /// The downloader's timeouts run on <see cref="clock"/>, which moves only when a test moves it (<see cref="Download"/>):
    /// no test waits out a timeout or depends on how fast the machine is.
    /// </summary>
    static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);
    /// <summary>Per file: a local 200 KB file takes milliseconds, a dripping one would take hours.</summary>
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    /// <summary>Made-up contents for the four files, a few chunks each, and a dataset whose MD5s match them.</summary>
    static readonly Dictionary<string, byte[]> Contents = DatasetInfo.Files.ToDictionary(f => f, f =>
    {
        var bytes = new byte[200_000 + f.Length];
        new Random(f.Length).NextBytes(bytes);
        return bytes;
    });

    static DatasetInfo Crafted(params string[] mirrors) => DatasetInfo.Mnist with
    {
        Mirrors = mirrors,
        KnownFiles = Served.KnownFiles(Contents),
    };

    public enum Failure
    {
        NotFound, WrongChecksum, TruncatedBody, HangsBeforeAnswering, StallsMidBody, ConnectionRefused,
        DripsSlowly, AnnouncesMoreThanTheKnownSize, SendsMoreThanTheKnownSizeUnannounced,
    }

    readonly LocalHttpServer server = new();
    readonly TempFolder temp = new();
    readonly HttpClient http = new();
    readonly FakeTimeProvider clock = new();

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
        temp.Dispose();
    }

    string Target => temp["data"];

    DatasetDownloader Downloader() => new(http, IdleTimeout, Deadline, clock);

    /// <summary>
    /// DownloadAll, with the clock moved on while a mirror holds the downloader waiting, as time would pass: by the idle
    /// timeout for a silent mirror, by the deadline for a dripping one (which the idle timeout never catches), again and
    /// again until the downloader gives up on it. Once is not enough: the downloader restarts its idle clock when it
    /// reads the mirror's last bytes, which may be after the first move (so a single move could leave it waiting forever).
    /// </summary>
    void Download(DatasetInfo dataset)
    {
        var download = Task.Run(() => Downloader().DownloadAll(dataset, Target, null, CancellationToken.None));
        using var done = new CancellationTokenSource();
        using var whenDone = download.ContinueWith(_ => done.Cancel(), TaskScheduler.Default);
        try
        {
            foreach (var waiting in server.Waiting.GetConsumingEnumerable(done.Token))
                while (!waiting.ClientLeft.Wait(TimeSpan.FromMilliseconds(50)))
                    clock.Advance(waiting.Reply.DripEvery != null ? Deadline : IdleTimeout);
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The download ended.
        }
        download.GetAwaiter().GetResult();
    }

    /// <summary>Waits for a mirror to leave the downloader waiting (a generous bound, so that a broken downloader fails instead of hanging).</summary>
    LocalHttpServer.WaitingReply NextWait() => server.Waiting.TryTake(out var waiting, TimeSpan.FromMinutes(2)) ? waiting : throw new TimeoutException("no mirror went silent");

    /// <summary>Serves all four crafted files under <paramref name="prefix"/> and returns that mirror's base URL.</summary>
    string GoodMirror(string prefix = "good/")
    {
        foreach (var (file, bytes) in Contents) server.Serve(prefix + file, HttpReply.Ok(bytes));
        return server.BaseUrl + prefix;
    }

    /// <summary>A mirror that fails every file in the given way.</summary>
    string FailingMirror(Failure failure, string prefix = "bad/")
    {
        if (failure == Failure.ConnectionRefused) return LocalHttpServer.RefusedUrl();
        foreach (var (file, bytes) in Contents)
        {
            HttpReply? reply = failure switch
            {
                Failure.NotFound => null,
                Failure.WrongChecksum => HttpReply.Ok([.. bytes[..^1], (byte)(bytes[^1] ^ 1)]),
                Failure.TruncatedBody => HttpReply.Truncated(bytes[..1000], bytes.Length),
                Failure.HangsBeforeAnswering => HttpReply.Hang(),
                Failure.StallsMidBody => HttpReply.Stall(bytes[..1000], bytes.Length),
                Failure.DripsSlowly => HttpReply.Drip(bytes, TimeSpan.FromMilliseconds(100)),
                Failure.AnnouncesMoreThanTheKnownSize => HttpReply.Ok([.. bytes, .. "extra"u8]),
                Failure.SendsMoreThanTheKnownSizeUnannounced => HttpReply.Unannounced([.. bytes, .. "extra"u8]),
                _ => throw new ArgumentOutOfRangeException(nameof(failure)),
            };
            if (reply != null) server.Serve(prefix + file, reply);
        }
        return server.BaseUrl + prefix;
    }

    /// <summary>The target folder holds exactly these files, each with its right bytes, and nothing else (no temp files).</summary>
    void AssertTargetHolds(params string[] files)
    {
        string[] present = Directory.Exists(Target) ? Directory.GetFiles(Target) : [];
        Assert.Equal(files.Order(), present.Select(Path.GetFileName).Order());
        foreach (var file in files) Assert.Equal(Contents[file], File.ReadAllBytes(Path.Combine(Target, file)));
    }

    /// <summary>Needs the official files themselves (their MD5s are the subject), so runs where they are: on CI.</summary>
    [RealDataFact(RealData.MnistT10k)]
    public void DownloadsRealFilesAndVerifiesTheirOfficialMd5()
    {
        var images = File.ReadAllBytes(TestData.PathOf(RealData.MnistT10k, DatasetInfo.TestImagesFile));
        var labels = File.ReadAllBytes(TestData.PathOf(RealData.MnistT10k, DatasetInfo.TestLabelsFile));
        server.Serve("mnist/" + DatasetInfo.TestImagesFile, HttpReply.Ok(images));
        server.Serve("mnist/" + DatasetInfo.TestLabelsFile, HttpReply.Ok(labels));
        // The training split is not available offline: put stand-ins there so only the test split is fetched.
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, DatasetInfo.TrainImagesFile), "stand-in");
        File.WriteAllText(Path.Combine(Target, DatasetInfo.TrainLabelsFile), "stand-in");
        var mnist = DatasetInfo.Mnist with { Mirrors = [server.BaseUrl + "mnist/"] };

        Downloader().DownloadAll(mnist, Target, null, CancellationToken.None);

        Assert.Equal(images, File.ReadAllBytes(Path.Combine(Target, DatasetInfo.TestImagesFile)));
        Assert.Equal(labels, File.ReadAllBytes(Path.Combine(Target, DatasetInfo.TestLabelsFile)));
        Assert.Equal(4, Directory.GetFiles(Target).Length);
        Assert.Equal(["/mnist/" + DatasetInfo.TestImagesFile, "/mnist/" + DatasetInfo.TestLabelsFile], server.Requests);
        Assert.Equal(7, IdxReader.ReadLabels(Path.Combine(Target, DatasetInfo.TestLabelsFile))[0]);
    }

    [Fact]
    public void DownloadsAllFourFilesIntoAFolderItCreates()
    {
        Downloader().DownloadAll(Crafted(GoodMirror()), Target, null, CancellationToken.None);

        AssertTargetHolds([.. DatasetInfo.Files]);
    }

    [Fact]
    public void SkipsFilesAlreadyThereGzippedOrPlain()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllBytes(Path.Combine(Target, DatasetInfo.TrainImagesFile), Contents[DatasetInfo.TrainImagesFile]);
        File.WriteAllText(Path.Combine(Target, Path.GetFileNameWithoutExtension(DatasetInfo.TrainLabelsFile)), "plain");

        Downloader().DownloadAll(Crafted(GoodMirror()), Target, null, CancellationToken.None);

        Assert.Equal(["/good/" + DatasetInfo.TestImagesFile, "/good/" + DatasetInfo.TestLabelsFile], server.Requests);
    }

    [Theory]
    [InlineData(Failure.NotFound, "HTTP 404")]
    [InlineData(Failure.WrongChecksum, "checksum mismatch")]
    [InlineData(Failure.TruncatedBody, "ended prematurely")]
    [InlineData(Failure.HangsBeforeAnswering, "timed out")]
    [InlineData(Failure.StallsMidBody, "timed out")]
    [InlineData(Failure.ConnectionRefused, "refused")]
    [InlineData(Failure.DripsSlowly, "timed out: not complete after 4 s")]
    [InlineData(Failure.AnnouncesMoreThanTheKnownSize, "the server announces 200,031 bytes, but the file is 200,026")]
    [InlineData(Failure.SendsMoreThanTheKnownSizeUnannounced, "body longer than the file's known size of 200,026 bytes")]
    public void AFailingMirrorLeavesNothingAndSaysWhy(Failure failure, string reason)
    {
        var mirror = FailingMirror(failure);

        var e = Assert.Throws<DownloadException>(() => Download(Crafted(mirror)));

        Assert.Contains($"{mirror}{DatasetInfo.TrainImagesFile}: ", e.Message);
        Assert.Contains(reason, e.Message);
        AssertTargetHolds();
    }

    [Theory]
    [InlineData(Failure.NotFound)]
    [InlineData(Failure.WrongChecksum)]
    [InlineData(Failure.TruncatedBody)]
    [InlineData(Failure.HangsBeforeAnswering)]
    [InlineData(Failure.StallsMidBody)]
    [InlineData(Failure.ConnectionRefused)]
    [InlineData(Failure.DripsSlowly)]
    [InlineData(Failure.AnnouncesMoreThanTheKnownSize)]
    [InlineData(Failure.SendsMoreThanTheKnownSizeUnannounced)]
    public void AFailingMirrorIsFollowedByTheNextOne(Failure failure)
    {
        var dataset = Crafted(FailingMirror(failure), GoodMirror());

        Download(dataset);

        AssertTargetHolds([.. DatasetInfo.Files]);
    }

    [Fact]
    public void NotFoundOnTheFirstMirrorThenTheSecondServes()
    {
        var dataset = Crafted(FailingMirror(Failure.NotFound), GoodMirror());

        Downloader().DownloadAll(dataset, Target, null, CancellationToken.None);

        AssertTargetHolds([.. DatasetInfo.Files]);
        Assert.Equal(DatasetInfo.Files.SelectMany(f => new[] { "/bad/" + f, "/good/" + f }), server.Requests);
    }

    [Fact]
    public void WhenEveryMirrorFailsTheMessageNamesEachMirrorAndWhatWentWrong()
    {
        var mirrors = new[]
        {
            FailingMirror(Failure.NotFound, "a/"),
            FailingMirror(Failure.WrongChecksum, "b/"),
            FailingMirror(Failure.TruncatedBody, "c/"),
            FailingMirror(Failure.ConnectionRefused),
        };

        var e = Assert.Throws<DownloadException>(() => Downloader().DownloadAll(Crafted(mirrors), Target, null, CancellationToken.None));

        var lines = e.Message.Split(Environment.NewLine);
        Assert.Equal(5, lines.Length);
        Assert.Contains(DatasetInfo.TrainImagesFile, lines[0]);
        Assert.StartsWith($"  {mirrors[0]}{DatasetInfo.TrainImagesFile}: HTTP 404", lines[1]);
        Assert.StartsWith($"  {mirrors[1]}{DatasetInfo.TrainImagesFile}: checksum mismatch", lines[2]);
        Assert.StartsWith($"  {mirrors[2]}{DatasetInfo.TrainImagesFile}: ", lines[3]);
        Assert.StartsWith($"  {mirrors[3]}{DatasetInfo.TrainImagesFile}: ", lines[4]);
        AssertTargetHolds();
    }

    [Fact]
    public async Task AHangingMirrorIsGivenUpAtTheIdleTimeoutNotBefore()
    {
        Directory.CreateDirectory(Target);
        foreach (var file in DatasetInfo.Files.SkipLast(1)) File.WriteAllBytes(Path.Combine(Target, file), Contents[file]);
        var last = DatasetInfo.Files[^1];
        var download = Task.Run(() => Downloader().DownloadAll(Crafted(FailingMirror(Failure.HangsBeforeAnswering), GoodMirror()), Target, null, CancellationToken.None));
        NextWait(); // the first mirror has the request and says nothing

        clock.Advance(IdleTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(download.IsCompleted);
        Assert.Equal(["/bad/" + last], server.Requests);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await download;

        Assert.Equal(["/bad/" + last, "/good/" + last], server.Requests);
        AssertTargetHolds([.. DatasetInfo.Files]);
    }

    [Fact]
    public void ReportsProgressUpToTheTotalOfEachFile()
    {
        var progress = new RecordingProgress();

        Downloader().DownloadAll(Crafted(GoodMirror()), Target, progress, CancellationToken.None);

        foreach (var file in DatasetInfo.Files)
        {
            var reports = progress.Reports.Where(r => r.FileName == file).ToList();
            Assert.True(reports.Count > 1, $"{file}: {reports.Count} reports");
            Assert.All(reports, r => Assert.Equal(server.BaseUrl + "good/" + file, r.Url));
            Assert.All(reports, r => Assert.Equal(Contents[file].Length, r.TotalBytes));
            Assert.Equal(reports.Select(r => r.BytesReceived).Order(), reports.Select(r => r.BytesReceived));
            Assert.Equal(Contents[file].Length, reports[^1].BytesReceived);
        }
    }

    [Fact]
    public void CancellingStopsTheDownloadAndLeavesNothing()
    {
        var dataset = Crafted(FailingMirror(Failure.StallsMidBody), GoodMirror());
        using var cancel = new CancellationTokenSource();
        var download = Task.Run(() => Downloader().DownloadAll(dataset, Target, null, cancel.Token));
        NextWait(); // the first mirror sent part of the file and went silent; the clock stands still, so only the cancel can end it

        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => download.GetAwaiter().GetResult());
        AssertTargetHolds();
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("/good/"));
    }

    /// <summary>Records reports as they come (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
    sealed class RecordingProgress : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];
        public void Report(DownloadProgress value) { lock (Reports) Reports.Add(value); }
    }
}
