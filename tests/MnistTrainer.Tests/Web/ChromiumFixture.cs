using Microsoft.Playwright;

namespace MnistTrainer.Tests.Web;

/// <summary>Debian's Chromium, headless and offline, started once for the page tests; each test gets a fresh page.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    IPlaywright? playwright;
    IBrowser? browser;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// A new browser context (no cookies or storage from other tests) the size of <paramref name="screen"/>, with
    /// one page on <paramref name="url"/>, loaded and its model facts read. Console errors, page errors,
    /// failed requests and answers of 400 and over (a missing icon, say) are collected from the start.
    /// </summary>
    public async Task<OpenPage> OpenAsync(Uri url, Screen screen)
    {
        if (browser == null)
        {
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                // Playwright cannot download its own browser here; the distribution's Chromium matches its protocol.
                ExecutablePath = BrowserFactAttribute.Chromium,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run"],
            });
        }
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height },
            HasTouch = screen.Touch,
            IsMobile = screen.Touch,
            DeviceScaleFactor = screen.Touch ? 2 : 1,
        });
        var page = await context.NewPageAsync();
        var open = new OpenPage(context, page, screen);
        page.Console += (_, m) => { if (m.Type == "error") open.Errors.Add($"console: {m.Text}"); };
        page.PageError += (_, e) => open.Errors.Add($"page: {e}");
        page.RequestFailed += (_, r) => open.Errors.Add($"request failed: {r.Url} {r.Failure}");
        page.Response += (_, r) => { if (r.Status >= 400) open.Errors.Add($"answered {r.Status}: {r.Url}"); };
        await page.GotoAsync(url.ToString());
        await page.WaitForFunctionAsync("() => document.body.dataset.ready === 'true'");
        return open;
    }

    public async Task DisposeAsync()
    {
        if (browser != null) await browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>One page in its own browser context, and what went wrong on it (to be empty).</summary>
public sealed class OpenPage(IBrowserContext context, IPage page, Screen screen) : IAsyncDisposable
{
    public IBrowserContext Context => context;
    public IPage Page => page;
    public Screen Screen => screen;
    public List<string> Errors { get; } = [];

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
