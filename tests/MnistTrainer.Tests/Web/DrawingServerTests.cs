using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MnistTrainer.Data;
using MnistTrainer.Inference;
using MnistTrainer.Model;
using MnistTrainer.Web;
using Xunit.Abstractions;

namespace MnistTrainer.Tests.Web;

/// <summary>The JSON API of <c>serve</c>, through HTTP against the real server on a loopback port.</summary>
public class DrawingServerTests(ServeFixture fixture, ITestOutputHelper log) : IClassFixture<ServeFixture>, IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    HttpClient Http => fixture.Serve.Http;

    static string Sample(string name) => Path.Combine(DataFolders.DefaultDataDir(), "samples", name);

    /// <summary>MNIST test image 0 (a 7), as the 28×28 pixels of an image file.</summary>
    static byte[] TestSeven => RealDatasets.Mnist.Image(0).ToArray();

    string Write(string name, byte[] bytes)
    {
        var path = folder[name];
        File.WriteAllBytes(path, bytes);
        return path;
    }

    async Task<(HttpStatusCode Status, JsonElement Json)> Post(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType != null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await Http.PostAsync("api/predict", content);
        return (response.StatusCode, await Json(response));
    }

    static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text); // never a stack trace
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    static double[] Probabilities(JsonElement result) => result.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray();

    static byte[] Input(JsonElement answer) =>
        answer.GetProperty("input").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => (byte)v.GetInt32())).ToArray();

    public static TheoryData<string, string> EveryImageType => new()
    {
        { "three-dark-on-white.png", "image/png" },
        { "seven-photo.jpg", "image/jpeg" },
        { "two-chalk-on-board.webp", "image/webp" },
        { "five-transparent.png", "image/png; charset=binary" },
        { "seven.bmp", "image/bmp" },
        { "seven.gif", "image/gif" },
    };

    [Theory]
    [MemberData(nameof(EveryImageType))]
    public async Task Predict_gives_what_predict_json_gives_for_the_same_file(string name, string contentType)
    {
        var path = name switch
        {
            "seven.bmp" => Write(name, ImageBytes.Bmp(28, 28, TestSeven)),
            "seven.gif" => Write(name, ImageBytes.Gif(28, 28, TestSeven)),
            _ => Sample(name),
        };
        var (status, answer) = await Post(File.ReadAllBytes(path), contentType);

        Assert.Equal(HttpStatusCode.OK, status);
        var cli = CliRun.Of("predict", "--model", TestModel.FilePath, "--json", "--image", path);
        Assert.Equal(0, cli.ExitCode);
        var expected = JsonDocument.Parse(cli.Out).RootElement.GetProperty("results")[0];
        // Every field of predict's result, with the same values (bit for bit), except the source: a file there, an upload here.
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name), answer.EnumerateObject().Select(p => p.Name).Where(n => n != "input"));
        Assert.Equal("uploaded image", answer.GetProperty("source").GetString());
        foreach (var field in new[] { "label", "preprocessed", "predicted", "predictedName", "confidence" })
            Assert.Equal(expected.GetProperty(field).GetRawText(), answer.GetProperty(field).GetRawText());
        Assert.Equal(Probabilities(expected), Probabilities(answer));
        Assert.Equal(NetworkInput.FromFile(path, raw: false).Pixels, Input(answer));
    }

    [Fact]
    public async Task Test_image_is_predict_index_with_its_label()
    {
        using var response = await Http.GetAsync("api/test-image?index=0");
        var answer = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cli = CliRun.Of("predict", "--model", TestModel.FilePath, "--json", "--index", "0", "--data-dir", TestData.MnistSubsetFolder);
        var expected = JsonDocument.Parse(cli.Out).RootElement.GetProperty("results")[0];
        Assert.Equal(expected.GetProperty("source").GetString(), answer.GetProperty("source").GetString());
        Assert.Equal(7, answer.GetProperty("label").GetInt32());
        Assert.Equal(Probabilities(expected), Probabilities(answer));
        Assert.Equal(TestSeven, Input(answer));
    }

    [Fact]
    public async Task Test_image_without_an_index_is_a_random_one_with_its_true_label()
    {
        var answer = await Json(await Http.GetAsync("api/test-image"));
        int index = int.Parse(answer.GetProperty("source").GetString()!.Split(' ')[2]);
        Assert.Equal(RealDatasets.Mnist.Labels[index], answer.GetProperty("label").GetInt32());
        Assert.Equal(RealDatasets.Mnist.Image(index).ToArray(), Input(answer));
    }

    [Theory]
    [InlineData("8000")]
    [InlineData("-1")]
    [InlineData("seven")]
    public async Task Test_image_index_out_of_range_is_400(string index)
    {
        using var response = await Http.GetAsync($"api/test-image?index={index}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"index {index} is out of range: the MNIST test set has 8,000 images (0 to 7,999)",
            (await Json(response)).GetProperty("error").GetString());
    }

    public static TheoryData<string, byte[]> BadImages => new()
    {
        { "text.png", "this is not an image"u8.ToArray() },
        { "empty.png", [] },
        { "cut.png", File.ReadAllBytes(Sample("three-dark-on-white.png"))[..400] },
        { "white.bmp", ImageBytes.Bmp(30, 40, Enumerable.Repeat((byte)250, 1200).ToArray()) },
        { "huge.png", ImageBytes.Png(100_000, 100_000, [new byte[100_000]]) },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task A_bad_image_is_400_with_the_message_predict_gives(string name, byte[] bytes)
    {
        var (status, answer) = await Post(bytes, "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var path = Write(name, bytes);
        var cli = CliRun.Of("predict", "--model", TestModel.FilePath, "--image", path);
        cli.AssertOneClearError(3);
        Assert.Equal(cli.ErrorLines[0].Replace($"error: {path}:", "uploaded image:"), answer.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_5_MB_is_413(bool lengthGiven)
    {
        var bytes = new byte[5 * 1024 * 1024 + 1];
        HttpContent content = lengthGiven ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        // As curl does for large bodies: wait for the server's go-ahead, so a refusal arrives before the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/predict") { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("image is larger than 5 MB", (await Json(response)).GetProperty("error").GetString());
        // Exactly 5 MB is allowed (and then refused only as not being an image).
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(bytes[..^1], "image/png")).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("image/tiff")]
    public async Task A_body_that_is_not_a_supported_image_type_is_415(string? contentType)
    {
        var (status, answer) = await Post(File.ReadAllBytes(Sample("three-dark-on-white.png")), contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("image/png, image/jpeg, image/webp, image/bmp, image/gif", answer.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("nothing/here")]
    [InlineData("api/nothing")]
    [InlineData("index.html")]
    public async Task Unknown_paths_are_404(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"nothing at /{path}", (await Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Page_health_and_model_facts()
    {
        using var page = await Http.GetAsync("");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<canvas id=\"pad\"", await page.Content.ReadAsStringAsync());
        Assert.Equal("ok", await Http.GetStringAsync("healthz"));

        var model = await Json(await Http.GetAsync("api/model"));
        Assert.Equal(TestModel.FilePath, model.GetProperty("model").GetString());
        Assert.Equal("mnist", model.GetProperty("dataset").GetString());
        Assert.Equal(DatasetInfo.Mnist.ClassNames, model.GetProperty("classNames").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(5, model.GetProperty("training").GetProperty("epochs").GetInt32());
        Assert.Equal(RealDatasets.Mnist.Count, model.GetProperty("testImages").GetInt32());
    }

    [Fact]
    public async Task Two_hundred_concurrent_predictions_all_equal_a_single_request()
    {
        // Four different pictures, each first asked alone; then 200 requests, 16 at a time, must get the same answers.
        var pictures = new[] { "three-dark-on-white.png", "seven-photo.jpg", "two-chalk-on-board.webp", "five-transparent.png" }
            .Select(n => File.ReadAllBytes(Sample(n))).ToArray();
        var alone = new List<double[]>();
        foreach (var picture in pictures) alone.Add(Probabilities((await Post(picture, "image/png")).Json));
        Assert.Equal(4, alone.Select(p => string.Join(",", p)).Distinct().Count());

        var answers = new double[200][];
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Parallel.ForEachAsync(Enumerable.Range(0, answers.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = timeout.Token },
            async (i, _) =>
            {
                var (status, answer) = await Post(pictures[i % pictures.Length], "image/png");
                Assert.Equal(HttpStatusCode.OK, status);
                answers[i] = Probabilities(answer);
            });
        log.WriteLine($"200 predictions, 16 at a time: {clock.ElapsedMilliseconds} ms in all");

        for (int i = 0; i < answers.Length; i++)
            Assert.Equal(alone[i % pictures.Length], answers[i]);
    }

    /// <summary>A stream that does not tell its length, so the body goes out chunked.</summary>
    sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>The server started directly (not through the command), on models made for the case.</summary>
public class DrawingServerAloneTests
{
    [Fact]
    public async Task Without_test_files_the_test_image_is_404_and_the_model_says_so()
    {
        using var model = ModelFile.Load(TestModel.FilePath);
        await using var app = await DrawingServer.StartAsync(new ServedModel(model, TestModel.FilePath, DatasetInfo.Mnist, testSet: null),
            IPAddress.Loopback, 0, e => throw e, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };

        using var response = await http.GetAsync("api/test-image?index=0");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("{\"error\":\"the MNIST test files were not found when serve started (give their folder with --data-dir)\"}",
            await response.Content.ReadAsStringAsync());
        Assert.Contains("\"testImages\":null", await http.GetStringAsync("api/model"));
    }

    [Fact]
    public async Task An_internal_failure_is_500_with_one_line_and_no_stack_trace()
    {
        // A network whose weights are gone: the prediction fails inside torch, as a bug would.
        var model = ModelFile.Load(TestModel.FilePath);
        model.Dispose();
        var failures = new List<Exception>();
        await using var app = await DrawingServer.StartAsync(new ServedModel(model, TestModel.FilePath, DatasetInfo.Mnist, testSet: null),
            IPAddress.Loopback, 0, failures.Add, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };

        var content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(DataFolders.DefaultDataDir(), "samples", "three-dark-on-white.png")));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await http.PostAsync("api/predict", content);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("{\"error\":\"internal error (details in the console where serve runs)\"}", await response.Content.ReadAsStringAsync());
        Assert.Single(failures);
    }
}
