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

    async Task<(HttpStatusCode Status, JsonElement Json)> PostStrokes(string json, string contentType = "application/json")
    {
        using var response = await Http.PostAsync("api/predict-strokes", new StringContent(json, System.Text.Encoding.UTF8, contentType));
        return (response.StatusCode, await Json(response));
    }

    [Fact]
    public async Task Strokes_are_drawn_again_as_mnist_digits_and_read()
    {
        int right = 0;
        for (int digit = 0; digit < 10; digit++)
        {
            var strokes = StrokeDigits.Placed(digit, 0.25, 0.3, 0.7).Select(s => s.Select(p => new[] { p.X * 280, p.Y * 280 }).ToArray()).ToArray();
            var (status, answer) = await PostStrokes(JsonSerializer.Serialize(new { padSide = 280, strokes }));

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("drawing", answer.GetProperty("source").GetString());
            Assert.True(answer.GetProperty("preprocessed").GetBoolean());
            var drawing = new PenStrokes(280, strokes.Select(s => s.Select(p => (p[0], p[1])).ToArray()).ToArray());
            Assert.Equal(StrokeRenderer.Render(drawing), Input(answer));
            Assert.InRange(Probabilities(answer).Sum(), 1 - 1e-6, 1 + 1e-6);
            if (answer.GetProperty("predicted").GetInt32() == digit) right++;
        }
        Assert.InRange(right, 9, 10);
    }

    [Theory]
    [InlineData("{}", "padSide must be the drawing area's side, a number above 0")]
    [InlineData("{\"padSide\": 280, \"strokes\": []}", "the drawing is empty: draw something first")]
    [InlineData("{\"padSide\": 280}", "the drawing is empty: draw something first")]
    [InlineData("{\"padSide\": 280, \"strokes\": [[]]}", "every stroke needs at least one point")]
    [InlineData("{\"padSide\": 280, \"strokes\": [[[1]]]}", "every point must be two numbers, [x, y]")]
    [InlineData("{\"padSide\": 280, \"strokes\": [[[1, \"a\"]]]}", "the body is not a drawing's JSON: {\"padSide\": 280, \"strokes\": [[[x, y], ...], ...]}")]
    [InlineData("a drawing", "the body is not a drawing's JSON: {\"padSide\": 280, \"strokes\": [[[x, y], ...], ...]}")]
    [InlineData("null", "padSide must be the drawing area's side, a number above 0")]
    public async Task A_drawing_that_is_not_one_is_400_saying_why(string json, string message)
    {
        var (status, answer) = await PostStrokes(json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_drawing_sent_as_another_type_is_415()
    {
        var (status, answer) = await PostStrokes("{\"padSide\": 280, \"strokes\": [[[1, 2]]]}", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.StartsWith("send the drawing as JSON", answer.GetProperty("error").GetString());
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
        Assert.Equal("the body is larger than 5 MB", (await Json(response)).GetProperty("error").GetString());
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
        var error = answer.GetProperty("error").GetString();
        Assert.StartsWith("That file is not an image we can read: PNG, JPEG, GIF, BMP or WebP (it came as ", error);
        Assert.Contains("image/png, image/jpeg, image/webp, image/bmp, image/gif", error);
    }

    [Theory]
    [InlineData(7000, 7000)]
    [InlineData(100_000, 100_000)]
    [InlineData(2001, 2000)]
    public async Task An_image_declaring_more_than_4_megapixels_is_413_naming_its_size_without_being_decoded(int width, int height)
    {
        // A few bytes of header and one row: the size comes from the header, before any decoding.
        var (status, answer) = await Post(ImageBytes.Png(width, height, [new byte[width]]), "image/png");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal($"uploaded image: image is {width:N0}×{height:N0} pixels, more than the limit of 4 megapixels",
            answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_image_of_4_megapixels_is_decoded()
    {
        // 2000×2000, a white bar on black: read, preprocessed and answered.
        var row = new byte[2000];
        row.AsSpan(900, 200).Fill(255);
        var (status, answer) = await Post(ImageBytes.Png(2000, 2000, Enumerable.Repeat(row, 2000).ToArray()), "image/png");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(answer.GetProperty("preprocessed").GetBoolean());
    }

    [Theory]
    [InlineData("POST", "api/model", "GET, HEAD")]
    [InlineData("PUT", "healthz", "GET, HEAD")]
    [InlineData("DELETE", "", "GET, HEAD")]
    [InlineData("GET", "api/predict", "POST")]
    [InlineData("GET", "api/predict-strokes", "POST")]
    public async Task A_known_path_with_another_method_is_405_with_allow(string method, string path, string allow)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal($"/{path} takes {allow.Replace(", ", " or ")}, not {method}", (await Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Head_is_answered_where_get_is()
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_chunked_body_is_400()
    {
        var answer = await RawHttp.SendAsync(fixture.Serve.Url!,
            "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n0\r\n\r\n");

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("the body is malformed (", JsonDocument.Parse(answer.Body).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("Content-Length: 1000\r\n\r\n0123456789")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n")]
    public async Task A_body_that_stops_arriving_is_408(string headerAndPart)
    {
        // 10 bytes of a longer body, then silence: Kestrel's minimum rate gives up after its grace period.
        var clock = Stopwatch.StartNew();
        var answer = await RawHttp.SendAsync(fixture.Serve.Url!,
            "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n" + headerAndPart);
        log.WriteLine($"408 after {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(408, answer.Status);
        Assert.Equal("the body stopped arriving (slower than 240 bytes a second after 5 s)",
            JsonDocument.Parse(answer.Body).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_long_address_is_414_and_large_headers_are_431_with_json_bodies()
    {
        var longPath = "/api/test-image?index=" + new string('1', DrawingServer.MaxTargetLength);
        var tooLong = await RawHttp.SendAsync(fixture.Serve.Url!, $"GET {longPath} HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(414, tooLong.Status);
        Assert.Equal($"the address is {longPath.Length:N0} characters long; the server takes up to 8,192",
            JsonDocument.Parse(tooLong.Body).RootElement.GetProperty("error").GetString());

        var bigHeader = await RawHttp.SendAsync(fixture.Serve.Url!, $"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");
        Assert.Equal(431, bigHeader.Status);
        Assert.StartsWith("the request's headers are 40,", JsonDocument.Parse(bigHeader.Body).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_favicon_is_served()
    {
        using var response = await Http.GetAsync("favicon.svg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg", await response.Content.ReadAsStringAsync());
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
        // The file's name, not the server's path to it.
        Assert.Equal(Path.GetFileName(TestModel.FilePath), model.GetProperty("model").GetString());
        Assert.DoesNotContain(Path.GetDirectoryName(TestModel.FilePath)!, await Http.GetStringAsync("api/model"));
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
    public async Task With_an_empty_test_set_the_test_image_is_404_not_500()
    {
        using var model = ModelFile.Load(TestModel.FilePath);
        await using var app = await DrawingServer.StartAsync(new ServedModel(model, TestModel.FilePath, DatasetInfo.Mnist, new LabeledImages([], [])),
            IPAddress.Loopback, 0, e => throw e, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };

        foreach (var query in new[] { "", "?index=0" })
        {
            using var response = await http.GetAsync("api/test-image" + query);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("{\"error\":\"the MNIST test files hold no images\"}", await response.Content.ReadAsStringAsync());
        }
        Assert.Contains("\"testImages\":0", await http.GetStringAsync("api/model"));
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
