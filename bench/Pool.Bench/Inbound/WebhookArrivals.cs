using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pool.Bench.Measurement;

namespace Pool.Bench.Inbound;

/// <summary>
/// A webhook endpoint on loopback that notes when each message.received webhook arrives (before it
/// reads the body) and answers 204. Like tests/Testing's WebhookReceiver, but it timestamps arrivals.
/// </summary>
internal sealed class WebhookArrivals : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookArrivals(WebApplication app, Arrivals arrivals)
    {
        _app = app;
        Arrivals = arrivals;
    }

    public Arrivals Arrivals { get; }

    /// <summary>The URL to register as the tenant's endpoint.</summary>
    public string Url { get; private set; } = "";

    public static async Task<WebhookArrivals> StartAsync(Arrivals arrivals)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookArrivals(app, arrivals);
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            var at = RunClock.Now;
            using var body = await JsonDocument.ParseAsync(request.Body);
            var code = body.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("code", out var found) ? found.GetString() : null;
            arrivals.Arrive(code ?? "", at); // No code: unexpected.

            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address}/hooks";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
