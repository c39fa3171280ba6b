using Microsoft.Playwright;

namespace Pool.Observability.Tests;

[Collection(ObservedPoolGroup.Name)]
public sealed class OrleansDashboardBrowserTests(ObservedPool pool)
{
    [Fact]
    public async Task Explore()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await page.GotoAsync(pool.Pool.HttpAddress + "/dashboard");
        await Task.Delay(5000);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("explore-1.png"), FullPage = true });
        await File.WriteAllTextAsync(Artifacts.PathOf("explore-1.html"), await page.ContentAsync());
        foreach (var link in await page.Locator("a").AllAsync())
        {
            await File.AppendAllTextAsync(Artifacts.PathOf("explore-links.txt"), $"{await link.GetAttributeAsync("href")} {await link.InnerTextAsync()}\n");
        }
    }
}
