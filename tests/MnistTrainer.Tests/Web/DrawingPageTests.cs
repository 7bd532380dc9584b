using System.Globalization;
using MnistTrainer.Data;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MnistTrainer.Tests.Web;

/// <summary>
/// The page of <c>serve</c> in a real browser: Debian's headless Chromium driven by Playwright, with the
/// mouse, on the test digit model.
/// </summary>
public class DrawingPageTests(ServeFixture fixture, ChromiumFixture chromium, ITestOutputHelper log)
    : IClassFixture<ServeFixture>, IClassFixture<ChromiumFixture>
{
    /// <summary>Where the screenshot of the page with a drawn 7 is saved (docs/serve-page.png is a copy of one).</summary>
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "serve-page.png");

    [BrowserFact]
    public async Task A_seven_drawn_with_the_mouse_is_read_as_7_and_the_bars_sum_to_100_percent()
    {
        await using var context = await chromium.OpenAsync(fixture.Serve.Url!);
        var page = context.Pages[0];

        // A 7 as a person draws it: the top bar left to right, then the stem down to the bottom left.
        await Stroke(page, (0.25, 0.22), (0.75, 0.22), (0.45, 0.85));
        await Settled(page);

        var probabilities = await Probabilities(page);
        log.WriteLine("bars: " + string.Join(" ", probabilities.Select(p => p.ToString("P1", CultureInfo.InvariantCulture))));
        Assert.Equal("7", await page.Locator("#top-class").TextContentAsync());
        Assert.Equal(7, Array.IndexOf(probabilities, probabilities.Max()));
        Assert.InRange(probabilities.Sum(), 1 - 1e-6, 1 + 1e-6);
        var percents = await page.Locator(".pct").AllTextContentsAsync();
        Assert.InRange(percents.Sum(p => double.Parse(p.TrimEnd('%'), CultureInfo.InvariantCulture)), 99.5, 100.5);
        Assert.True(await InputInk(page) > 0, "the 28×28 view shows nothing");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        log.WriteLine($"screenshot: {ScreenshotPath}");
    }

    [BrowserFact]
    public async Task Clear_empties_the_drawing_and_resets_the_bars()
    {
        await using var context = await chromium.OpenAsync(fixture.Serve.Url!);
        var page = context.Pages[0];
        await Stroke(page, (0.5, 0.15), (0.5, 0.85));
        await Settled(page);
        Assert.NotEqual("–", await page.Locator("#top-class").TextContentAsync());

        await page.Locator("#clear").ClickAsync();
        await Settled(page);

        Assert.All(await Probabilities(page), p => Assert.Equal(0, p));
        Assert.All(await page.Locator(".pct").AllTextContentsAsync(), t => Assert.Equal("", t));
        Assert.Equal("–", await page.Locator("#top-class").TextContentAsync());
        Assert.Equal(0, await InputInk(page));
        Assert.Equal(0, await page.EvaluateAsync<int>(
            "() => { const c = document.getElementById('pad'); return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 0 && v > 0).length; }"));
    }

    [BrowserFact]
    public async Task A_random_test_image_shows_its_true_label()
    {
        await using var context = await chromium.OpenAsync(fixture.Serve.Url!);
        var page = context.Pages[0];

        await page.Locator("#random").ClickAsync();
        await page.Locator("#true-label").WaitForAsync();

        var truth = await page.Locator("#truth").TextContentAsync();
        log.WriteLine(truth);
        // "test image N of MNIST: true label L (right)": N and L as in the real test set.
        int index = int.Parse(truth!.Split(' ')[2], CultureInfo.InvariantCulture);
        Assert.Equal(RealDatasets.Mnist.Labels[index].ToString(CultureInfo.InvariantCulture), await page.Locator("#true-label").TextContentAsync());
        Assert.InRange((await Probabilities(page)).Sum(), 1 - 1e-6, 1 + 1e-6);
        Assert.Equal(RealDatasets.Mnist.Image(index).ToArray().Sum(p => p), await InputInk(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "serve-page-test-image.png"), FullPage = true });
    }

    [BrowserFact]
    public async Task An_uploaded_picture_gets_the_prediction_predict_gives()
    {
        var sample = Path.Combine(DataFolders.DefaultDataDir(), "samples", "three-dark-on-white.png");
        await using var context = await chromium.OpenAsync(fixture.Serve.Url!);
        var page = context.Pages[0];

        await page.Locator("#upload").SetInputFilesAsync(sample);
        await page.WaitForFunctionAsync("() => document.getElementById('top-class').textContent !== '–'");

        var cli = CliRun.Of("predict", "--model", TestModel.FilePath, "--json", "--image", sample);
        var predicted = System.Text.Json.JsonDocument.Parse(cli.Out).RootElement.GetProperty("results")[0].GetProperty("predictedName").GetString();
        Assert.Equal(predicted, await page.Locator("#top-class").TextContentAsync());
        Assert.Equal("three-dark-on-white.png", await page.Locator("#truth").TextContentAsync());
    }

    /// <summary>Presses the mouse at the first point and drags it through the others (fractions of the drawing area).</summary>
    static async Task Stroke(IPage page, params (double X, double Y)[] points)
    {
        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        float X(int i) => (float)(box.X + points[i].X * box.Width);
        float Y(int i) => (float)(box.Y + points[i].Y * box.Height);
        await page.Mouse.MoveAsync(X(0), Y(0));
        await page.Mouse.DownAsync();
        for (int i = 1; i < points.Length; i++)
            await page.Mouse.MoveAsync(X(i), Y(i), new MouseMoveOptions { Steps = 12 });
        await page.Mouse.UpAsync();
    }

    /// <summary>Waits until the page has no prediction pending (the debounce timer and the request both done).</summary>
    static Task Settled(IPage page) => page.WaitForFunctionAsync("() => document.body.dataset.pending === 'no'");

    static async Task<double[]> Probabilities(IPage page) =>
        (await page.Locator("#bars .row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.probability)"))
        .Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The sum of the 28×28 view's pixel values: what the page shows as the network's input.</summary>
    static Task<int> InputInk(IPage page) => page.EvaluateAsync<int>(
        "() => document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data.filter((v, i) => i % 4 === 0).reduce((a, b) => a + b, 0)");
}
