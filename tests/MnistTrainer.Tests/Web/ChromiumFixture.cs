using Microsoft.Playwright;

namespace MnistTrainer.Tests.Web;

/// <summary>Debian's Chromium, headless and offline, started once for the page tests; each test gets a fresh page.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    IPlaywright? playwright;
    IBrowser? browser;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A new browser context (no cookies or storage from other tests) with one page on <paramref name="url"/>, loaded.</summary>
    public async Task<IBrowserContext> OpenAsync(Uri url)
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
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 760 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        await page.WaitForFunctionAsync("() => document.body.dataset.ready === 'true'");
        return context;
    }

    public async Task DisposeAsync()
    {
        if (browser != null) await browser.DisposeAsync();
        playwright?.Dispose();
    }
}
