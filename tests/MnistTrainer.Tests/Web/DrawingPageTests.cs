using System.Globalization;
using System.Net;
using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Training;
using MnistTrainer.Web;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MnistTrainer.Tests.Web.PageDriver;

namespace MnistTrainer.Tests.Web;

/// <summary>
/// The page of <c>serve</c> in a real browser: Debian's headless Chromium driven by Playwright, on the test digit
/// model, at a desktop's size with the mouse and at a phone's with a finger. Every test ends with no console
/// error, page error or failed request.
/// </summary>
public class DrawingPageTests(ServeFixture fixture, ChromiumFixture chromium, ITestOutputHelper log)
    : IClassFixture<ServeFixture>, IClassFixture<ChromiumFixture>, IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    /// <summary>Where a test saves the page's screenshot at a screen's size (docs/serve-desktop.png and docs/serve-phone.png are copies).</summary>
    public static string ScreenshotPath(Screen screen) => Path.Combine(AppContext.BaseDirectory, $"serve-{screen.Name}.png");

    static Screen ScreenNamed(string name) => name == "phone" ? Screen.Phone : Screen.Desktop;

    static string Sample(string name) => Path.Combine(DataFolders.DefaultDataDir(), "samples", name);

    Task<OpenPage> Open(Screen screen) => chromium.OpenAsync(fixture.Serve.Url!, screen);

    [BrowserTheory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_seven_is_read_as_7_with_the_answer_in_view_beside_or_above_the_pad(string screenName)
    {
        var screen = ScreenNamed(screenName);
        await using var open = await Open(screen);
        var page = open.Page;

        // A 7 as a person draws it: the top bar left to right, then the stem down to the bottom left.
        await DrawAsync(open, [[(0.25, 0.22), (0.5, 0.22), (0.75, 0.22), (0.6, 0.53), (0.45, 0.85)]]);
        await SettledAsync(page);

        var probabilities = await ProbabilitiesAsync(page);
        log.WriteLine($"{screen}: " + string.Join(" ", probabilities.Select(p => p.ToString("P1", CultureInfo.InvariantCulture))));
        Assert.Equal("7", await TopClassAsync(page));
        Assert.Equal(7, Array.IndexOf(probabilities, probabilities.Max()));
        Assert.InRange(probabilities.Sum(), 1 - 1e-6, 1 + 1e-6);
        var percents = await page.Locator(".pct").AllTextContentsAsync();
        Assert.InRange(percents.Sum(p => double.Parse(p.TrimEnd('%'), CultureInfo.InvariantCulture)), 99.5, 100.5);
        Assert.True(await InputInkAsync(page) > 0, "the 28×28 view shows nothing");
        Assert.Equal("Read as 7, " + (await page.Locator("#top-confidence").TextContentAsync())!.Replace(" sure", "") + " sure.",
            await page.Locator("#announce").TextContentAsync());

        // While the pad is in view, so is the answer: beside it on a desktop, above it on a phone.
        Assert.False(await OverflowsAsync(page), "the page scrolls sideways");
        Assert.True(await InViewAsync(page, "#pad"), "the pad is not wholly in view");
        Assert.True(await InViewAsync(page, "#top-class"), "the answer is not in view with the pad");
        var pad = await BoxAsync(page, "#pad");
        var answer = await BoxAsync(page, "#top-class");
        if (screen.Touch) Assert.True(answer.Y + answer.Height <= pad.Y, "on a phone the answer is above the pad");
        else Assert.True(answer.X >= pad.X + pad.Width, "on a desktop the answer is beside the pad");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(screen), FullPage = !screen.Touch });
        log.WriteLine($"screenshot: {ScreenshotPath(screen)}");
        Assert.Empty(open.Errors);
    }

    [BrowserTheory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task The_ten_stroke_digits_are_read_alike_small_medium_and_large(string screenName)
    {
        var screen = ScreenNamed(screenName);
        await using var open = await Open(screen);
        var read = new Dictionary<string, string[]>();
        foreach (var (size, height) in StrokeDigits.Sizes)
        {
            read[size] = new string[10];
            for (int digit = 0; digit < 10; digit++)
            {
                await open.Page.Locator("#clear").ClickAsync();
                await DrawAsync(open, StrokeDigits.Placed(digit, height, 0.5, 0.5));
                await SettledAsync(open.Page);
                read[size][digit] = await TopClassAsync(open.Page);
            }
            log.WriteLine($"{screen} {size,-6} {Enumerable.Range(0, 10).Count(d => read[size][d] == d.ToString())}/10 read as {string.Join(" ", read[size])}");
        }

        foreach (var (size, _) in StrokeDigits.Sizes)
        {
            Assert.Equal(read["large"], read[size]);
            Assert.InRange(Enumerable.Range(0, 10).Count(d => read[size][d] == d.ToString()), 9, 10);
        }
        Assert.Empty(open.Errors);
    }

    [BrowserTheory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_tap_draws_a_dot_and_is_answered(string screenName)
    {
        await using var open = await Open(ScreenNamed(screenName));
        await TapAsync(open, 0.5, 0.5);
        await SettledAsync(open.Page);

        Assert.InRange(await PadInkAsync(open.Page), 100, 5000);
        Assert.NotEqual("–", await TopClassAsync(open.Page));
        Assert.Equal("", await MessageAsync(open.Page));
        Assert.True(await InputInkAsync(open.Page) > 0);
        Assert.Empty(open.Errors);
    }

    [BrowserTheory]
    [InlineData(360, 740)]
    [InlineData(390, 844)]
    [InlineData(430, 932)]
    public async Task Phones_from_360_to_430_pixels_wide_do_not_scroll_sideways(int width, int height)
    {
        await using var open = await chromium.OpenAsync(fixture.Serve.Url!, new Screen("phone", width, height, Touch: true));
        Assert.False(await OverflowsAsync(open.Page));
        await DrawAsync(open, StrokeDigits.Placed(3, 0.6, 0.5, 0.5));
        await SettledAsync(open.Page);
        Assert.False(await OverflowsAsync(open.Page));
        Assert.True(await InViewAsync(open.Page, "#pad"));
        Assert.True(await InViewAsync(open.Page, "#top-class"));
        Assert.Empty(open.Errors);
    }

    [BrowserFact]
    public async Task Undo_takes_back_the_last_stroke_and_then_the_first()
    {
        await using var open = await Open(Screen.Desktop);
        var page = open.Page;
        Assert.True(await page.Locator("#undo").IsDisabledAsync());
        var four = StrokeDigits.Placed(4, 0.7, 0.5, 0.5);
        await DrawAsync(open, [four[0]]);
        await SettledAsync(page);
        int oneStroke = await InputInkAsync(page);
        int padOneStroke = await PadInkAsync(page);
        await DrawAsync(open, [four[1]]);
        await SettledAsync(page);
        Assert.NotEqual(oneStroke, await InputInkAsync(page));

        await page.Locator("#undo").ClickAsync();
        await SettledAsync(page);
        Assert.Equal(padOneStroke, await PadInkAsync(page));
        Assert.Equal(oneStroke, await InputInkAsync(page));

        // Ctrl+Z does the same; with nothing left the page is as new.
        await page.Keyboard.PressAsync("Control+z");
        await SettledAsync(page);
        Assert.Equal(0, await PadInkAsync(page));
        Assert.Equal("–", await TopClassAsync(page));
        Assert.All(await ProbabilitiesAsync(page), p => Assert.Equal(0, p));
        Assert.True(await page.Locator("#undo").IsDisabledAsync());
        Assert.Empty(open.Errors);
    }

    [BrowserFact]
    public async Task A_random_test_image_shows_its_true_label_and_drawing_over_it_starts_afresh()
    {
        await using var open = await Open(Screen.Desktop);
        var page = open.Page;
        var stroke = StrokeDigits.Placed(1, 0.6, 0.5, 0.5);
        await DrawAsync(open, stroke);
        await SettledAsync(page);
        int strokeAlone = await PadInkAsync(page);

        await page.Locator("#random").ClickAsync();
        await page.Locator("#true-label").WaitForAsync();
        var truth = await page.Locator("#truth").TextContentAsync();
        log.WriteLine(truth);
        // "test image N of MNIST: true label L (right)": N and L as in the real test set.
        int index = int.Parse(truth!.Split(' ')[2], CultureInfo.InvariantCulture);
        Assert.Equal(RealDatasets.Mnist.Labels[index].ToString(CultureInfo.InvariantCulture), await page.Locator("#true-label").TextContentAsync());
        Assert.InRange((await ProbabilitiesAsync(page)).Sum(), 1 - 1e-6, 1 + 1e-6);
        Assert.Equal(RealDatasets.Mnist.Image(index).ToArray().Sum(p => p), await InputInkAsync(page));
        Assert.True(await page.Locator("#undo").IsDisabledAsync());

        // Drawing now replaces the test image, its label and its answer: the pad holds the stroke alone.
        await DrawAsync(open, stroke);
        await SettledAsync(page);
        Assert.Equal(strokeAlone, await PadInkAsync(page));
        Assert.Equal("", await MessageAsync(page));
        Assert.Equal("1", await TopClassAsync(page));
        Assert.Empty(open.Errors);
    }

    [BrowserTheory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_failed_upload_clears_the_last_answer_moves_nothing_and_its_message_goes_with_the_next_action(string screenName)
    {
        await using var open = await Open(ScreenNamed(screenName));
        var page = open.Page;
        await DrawAsync(open, StrokeDigits.Placed(7, 0.6, 0.5, 0.5));
        await SettledAsync(page);
        Assert.Equal("7", await TopClassAsync(page));
        var padBefore = await BoxAsync(page, "#pad");
        var answerBefore = await BoxAsync(page, "#top-class");

        var notAnImage = folder["notes.png"];
        File.WriteAllText(notAnImage, "this is not an image");
        await page.Locator("#upload").SetInputFilesAsync(notAnImage);
        await SettledAsync(page);

        Assert.Equal("That file is not an image we can read: PNG, JPEG, GIF, BMP or WebP.", await MessageAsync(page));
        Assert.Equal("–", await TopClassAsync(page));
        Assert.All(await ProbabilitiesAsync(page), p => Assert.Equal(0, p));
        Assert.Equal(0, await InputInkAsync(page));
        Assert.Equal(0, await PadInkAsync(page));
        Assert.Equal(padBefore, await BoxAsync(page, "#pad"));
        Assert.Equal(answerBefore, await BoxAsync(page, "#top-class"));

        await TapAsync(open, 0.5, 0.5);
        await SettledAsync(page);
        Assert.Equal("", await MessageAsync(page));
        Assert.Empty(open.Errors);
    }

    [BrowserTheory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_picture_is_uploaded_with_the_keyboard_alone_and_gets_what_predict_gives(string screenName)
    {
        await using var open = await Open(ScreenNamed(screenName));
        var page = open.Page;
        var sample = Sample("three-dark-on-white.png");

        // Tab through the controls in order (Undo is off until something is drawn).
        var reached = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => document.activeElement.id"));
        }
        Assert.Equal(["clear", "random", "upload-button"], reached);
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));

        // Listening for the file chooser first: Playwright then intercepts the dialog Enter opens.
        var chooser = new TaskCompletionSource<IFileChooser>();
        page.FileChooser += (_, c) => chooser.TrySetResult(c);
        await page.EvaluateAsync("() => new Promise(requestAnimationFrame)");
        await page.Keyboard.PressAsync("Enter");
        await (await chooser.Task.WaitAsync(TimeSpan.FromSeconds(30))).SetFilesAsync(sample);
        await page.WaitForFunctionAsync("() => document.getElementById('top-class').textContent !== '–'");
        await SettledAsync(page);

        var cli = CliRun.Of("predict", "--model", TestModel.FilePath, "--json", "--image", sample);
        var predicted = System.Text.Json.JsonDocument.Parse(cli.Out).RootElement.GetProperty("results")[0].GetProperty("predictedName").GetString();
        Assert.Equal(predicted, await TopClassAsync(page));
        Assert.Equal("three-dark-on-white.png", await MessageAsync(page));
        Assert.Empty(open.Errors);
    }

    [BrowserFact]
    public async Task A_12_megapixel_photo_is_scaled_down_in_the_browser_and_answered()
    {
        // 4000×3000, a dark bar on white: three times what the server takes.
        var row = Enumerable.Repeat((byte)235, 4000).ToArray();
        var bar = row.ToArray();
        bar.AsSpan(1850, 300).Fill(20);
        var photo = folder["photo.png"];
        File.WriteAllBytes(photo, ImageBytes.Png(4000, 3000, Enumerable.Range(0, 3000).Select(y => y is > 400 and < 2600 ? bar : row).ToArray()));

        await using var open = await Open(Screen.Desktop);
        await open.Page.Locator("#upload").SetInputFilesAsync(photo);
        await open.Page.WaitForFunctionAsync("() => document.getElementById('top-class').textContent !== '–'");
        await SettledAsync(open.Page);

        Assert.Equal("photo.png (4000×3000, sent scaled down to 1024×768)", await MessageAsync(open.Page));
        Assert.Equal("1", await TopClassAsync(open.Page));
        Assert.Empty(open.Errors);
    }

    [BrowserTheory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_fashion_model_page_speaks_of_clothes_and_names_only_the_model_file(string screenName)
    {
        using var network = Trainer.NewNetwork(seed: 1);
        var model = new TrainedModel(network, ModelMetadata.For(DatasetInfo.FashionMnist.Name, DatasetInfo.FashionMnist.ClassNames, training: null));
        var path = folder["a-folder-whose-name-no-visitor-needs-to-see-on-the-page-at-all/fashion.model"];
        await using var app = await DrawingServer.StartAsync(new ServedModel(model, path, DatasetInfo.FashionMnist, testSet: null),
            IPAddress.Loopback, 0, e => throw e, CancellationToken.None);
        await using var open = await chromium.OpenAsync(new Uri(app.Urls.Single() + "/"), ScreenNamed(screenName));
        var page = open.Page;

        Assert.Equal("Draw a piece of clothing", await page.Locator("h1").TextContentAsync());
        Assert.Equal("MnistTrainer: draw a piece of clothing", await page.TitleAsync());
        Assert.Contains("an ankle boot", await page.Locator("#instructions").TextContentAsync());
        Assert.DoesNotContain("digit", await page.Locator("header").TextContentAsync());
        Assert.Equal(DatasetInfo.FashionMnist.ClassNames, await page.Locator("#bars .name").AllTextContentsAsync());
        var facts = await page.Locator("#facts").TextContentAsync();
        Assert.Contains("fashion.model", facts);
        Assert.DoesNotContain("a-folder-whose-name", facts);

        // A class name longer than a digit takes the answer's place without moving anything.
        var pad = await BoxAsync(page, "#pad");
        var answer = await BoxAsync(page, "#answer-panel");
        await DrawAsync(open, StrokeDigits.Placed(0, 0.8, 0.5, 0.5));
        await SettledAsync(page);
        Assert.Contains(await TopClassAsync(page), DatasetInfo.FashionMnist.ClassNames);
        Assert.Equal(pad, await BoxAsync(page, "#pad"));
        Assert.Equal(answer, await BoxAsync(page, "#answer-panel"));
        Assert.False(await OverflowsAsync(page));
        Assert.Empty(open.Errors);
    }
}
