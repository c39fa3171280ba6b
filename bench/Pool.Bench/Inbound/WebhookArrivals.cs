using System.Text.Json;
using Pool.Bench.Measurement;
using Pool.Testing;

namespace Pool.Bench.Inbound;

/// <summary>
/// The webhook endpoint of the inbound measurement: tests/Testing's <see cref="WebhookReceiver"/> (a real
/// endpoint on loopback answering 200), noting when each message.received webhook arrives. The receiver
/// keeps the requests it got; a run of 100 000 messages keeps a few tens of megabytes.
/// </summary>
internal sealed class WebhookArrivals : IAsyncDisposable
{
    private readonly WebhookReceiver _receiver;

    private WebhookArrivals(WebhookReceiver receiver, Arrivals arrivals)
    {
        _receiver = receiver;
        Arrivals = arrivals;
    }

    public Arrivals Arrivals { get; }

    /// <summary>The URL to register as the tenant's endpoint.</summary>
    public string Url => _receiver.Url;

    public static async Task<WebhookArrivals> StartAsync(Arrivals arrivals)
    {
        var receiver = await WebhookReceiver.StartAsync(received =>
        {
            var at = RunClock.Now;
            using var body = JsonDocument.Parse(received.Body);
            var code = body.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("code", out var found) ? found.GetString() : null;
            arrivals.Arrive(code ?? "", at); // No code: unexpected.
        });
        return new WebhookArrivals(receiver, arrivals);
    }

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();
}
