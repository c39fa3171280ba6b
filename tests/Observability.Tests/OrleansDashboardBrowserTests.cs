using Microsoft.Playwright;

namespace Pool.Observability.Tests;

/// <summary>
/// The Orleans Dashboard, opened in headless Chromium (Debian's <c>chromium</c> package, which
/// scripts/test.sh installs; Playwright drives it and downloads no browser) on a Pool that has carried
/// traffic, renders and shows Pool's own grains and its silo. Screenshots of each view are kept in
/// <see cref="Artifacts.Directory"/> (orleans-dashboard-*.png) for a person to look at.
/// </summary>
[Collection(ObservedPoolGroup.Name)]
public sealed class OrleansDashboardBrowserTests(ObservedPool pool)
{
    /// <summary>Where Debian's chromium package puts the browser; POOL_TEST_CHROMIUM names another.</summary>
    private static readonly string s_chromium = Environment.GetEnvironmentVariable("POOL_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private const float RenderTimeoutMs = 30_000;

    /// <summary>Grain classes the traffic of <see cref="ObservedPool"/> activated: numbers, leases, the tenant, inbound SMS, verification.</summary>
    private static readonly string[] s_poolGrains = ["NumberGrain", "LeaseGrain", "TenantGrain", "InboundGrain", "VerificationGrain", "RouteTableGrain"];

    [Fact]
    public async Task The_dashboard_renders_Pools_grains_and_its_silo_after_traffic()
    {
        Assert.True(File.Exists(s_chromium), $"Chromium is not installed at {s_chromium}: scripts/test.sh installs Debian's chromium package (apt-get install chromium), or set POOL_TEST_CHROMIUM to a Chromium binary.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = s_chromium, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var failures = new List<string>();
        page.PageError += (_, error) => failures.Add(error);

        // From the machine itself the dashboard needs no sign-in (see DashboardAccess).
        var overview = await page.GotoAsync($"{pool.Pool.HttpAddress}/dashboard");
        Assert.Equal(200, overview?.Status);
        await page.GetByText("Total activations", new PageGetByTextOptions { Exact = false }).First.WaitForAsync(new() { Timeout = RenderTimeoutMs });
        await page.GetByText("Active silos", new PageGetByTextOptions { Exact = false }).First.WaitForAsync(new() { Timeout = RenderTimeoutMs });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("orleans-dashboard-overview.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Grains", Exact = true }).ClickAsync();
        foreach (var grain in s_poolGrains)
        {
            await page.GetByText(grain, new PageGetByTextOptions { Exact = true }).First.WaitForAsync(new() { Timeout = RenderTimeoutMs });
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("orleans-dashboard-grains.png"), FullPage = true });
        var grains = await page.InnerTextAsync("body");

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Silos", Exact = true }).ClickAsync();
        var silo = page.Locator("a[href^='#/host/']").First;
        await silo.WaitForAsync(new() { Timeout = RenderTimeoutMs });
        var siloAddress = await silo.InnerTextAsync();
        var silos = await page.InnerTextAsync("body");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("orleans-dashboard-silos.png"), FullPage = true });

        Assert.All(s_poolGrains, grain => Assert.Contains(grain, grains, StringComparison.Ordinal));
        Assert.Contains("127.0.0.1", siloAddress, StringComparison.Ordinal);
        Assert.Contains("Active", silos, StringComparison.Ordinal);
        Assert.True(failures.Count == 0, $"the dashboard's scripts ran without an error: {string.Join("; ", failures)}");
    }
}
