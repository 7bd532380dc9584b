using System.Globalization;
using Microsoft.Playwright;

namespace MnistTrainer.Tests.Web;

/// <summary>What the page tests do on the drawing page and read from it, with the screen's own pointer (the mouse, or a finger).</summary>
public static class PageDriver
{
    /// <summary>Draws <paramref name="strokes"/> (points as fractions of the pad, y down), one pointer press each.</summary>
    public static async Task DrawAsync(OpenPage open, IReadOnlyList<(double X, double Y)[]> strokes)
    {
        var box = (await open.Page.Locator("#pad").BoundingBoxAsync())!;
        (double X, double Y) At((double X, double Y) p) => (box.X + p.X * box.Width, box.Y + p.Y * box.Height);
        if (open.Screen.Touch)
        {
            // Playwright's touchscreen only taps; Chromium's DevTools protocol moves a finger.
            var cdp = await open.Context.NewCDPSessionAsync(open.Page);
            foreach (var stroke in strokes)
            {
                for (int i = 0; i < stroke.Length; i++)
                {
                    var (x, y) = At(stroke[i]);
                    await Touch(cdp, i == 0 ? "touchStart" : "touchMove", x, y);
                }
                await cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object> { ["type"] = "touchEnd", ["touchPoints"] = Array.Empty<object>() });
            }
            await cdp.DetachAsync();
            return;
        }
        foreach (var stroke in strokes)
        {
            var (x0, y0) = At(stroke[0]);
            await open.Page.Mouse.MoveAsync((float)x0, (float)y0);
            await open.Page.Mouse.DownAsync();
            foreach (var p in stroke.Skip(1))
            {
                var (x, y) = At(p);
                await open.Page.Mouse.MoveAsync((float)x, (float)y);
            }
            await open.Page.Mouse.UpAsync();
        }
    }

    static Task Touch(ICDPSession cdp, string type, double x, double y) => cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
    {
        ["type"] = type,
        ["touchPoints"] = new[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y } },
    });

    /// <summary>A tap (or a click) at a point of the pad given as fractions of it.</summary>
    public static async Task TapAsync(OpenPage open, double x, double y)
    {
        var box = (await open.Page.Locator("#pad").BoundingBoxAsync())!;
        float px = (float)(box.X + x * box.Width), py = (float)(box.Y + y * box.Height);
        if (open.Screen.Touch) await open.Page.Touchscreen.TapAsync(px, py);
        else await open.Page.Mouse.ClickAsync(px, py);
    }

    /// <summary>Waits until the page has nothing pending (the debounce timer and any request done).</summary>
    public static Task SettledAsync(IPage page) => page.WaitForFunctionAsync("() => document.body.dataset.pending === 'no'");

    public static async Task<string> TopClassAsync(IPage page) => (await page.Locator("#top-class").TextContentAsync())!;

    public static async Task<string> MessageAsync(IPage page) => (await page.Locator("#message").TextContentAsync())!;

    public static async Task<double[]> ProbabilitiesAsync(IPage page) =>
        (await page.Locator("#bars .row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.probability)"))
        .Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The sum of the 28×28 view's pixel values: what the page shows as the network's input.</summary>
    public static Task<int> InputInkAsync(IPage page) => page.EvaluateAsync<int>(
        "() => document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data.filter((v, i) => i % 4 === 0).reduce((a, b) => a + b, 0)");

    /// <summary>How many of the pad's pixels are not black.</summary>
    public static Task<int> PadInkAsync(IPage page) => page.EvaluateAsync<int>(
        "() => { const c = document.getElementById('pad'); return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 0 && v > 0).length; }");

    /// <summary>Whether the page is wider than the window (it would scroll sideways).</summary>
    public static Task<bool> OverflowsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");

    /// <summary>Whether the element is wholly inside the window as it is scrolled now.</summary>
    public static Task<bool> InViewAsync(IPage page, string selector) => page.Locator(selector).EvaluateAsync<bool>(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }");

    public static async Task<(float X, float Y, float Width, float Height)> BoxAsync(IPage page, string selector)
    {
        var box = (await page.Locator(selector).BoundingBoxAsync())!;
        return (box.X, box.Y, box.Width, box.Height);
    }
}
