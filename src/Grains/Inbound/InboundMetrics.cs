using System.Diagnostics.Metrics;
using Pool.Contracts.Inbound;

namespace Pool.Grains.Inbound;

/// <summary>
/// The "Pool.Inbound" meter: <c>pool.inbound.messages</c> (SMS accepted from carriers, by outcome:
/// delivered, unsolicited, duplicate, part_accepted), <c>pool.otp.extractions</c> (text messages read
/// for a code, by result: code, no_code — the hit rate is code over the total; a carrier's resend of a
/// message is read, and counted, again),
/// <c>pool.webhooks.attempts</c> (webhook attempts by result: delivered, retry, given_up, gone) and
/// <c>pool.webhooks.delivery.latency</c> (seconds from the message being stored to its webhook
/// being accepted with a 2xx, retries included).
/// </summary>
public static class InboundMetrics
{
    public const string MeterName = "Pool.Inbound";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_messages = s_meter.CreateCounter<long>("pool.inbound.messages", "{message}", "SMS accepted from carriers, by outcome");
    private static readonly Counter<long> s_extractions = s_meter.CreateCounter<long>("pool.otp.extractions", "{message}", "Text messages read for a one-time code, by result (code, no_code)");
    private static readonly Counter<long> s_webhooks = s_meter.CreateCounter<long>("pool.webhooks.attempts", "{attempt}", "Webhook attempts, by result");
    private static readonly Histogram<double> s_webhookLatency = s_meter.CreateHistogram<double>(
        "pool.webhooks.delivery.latency", "s", "Seconds from a message being stored to its webhook being accepted (2xx)");

    public static void Message(InboundOutcome outcome) =>
        s_messages.Add(1, new KeyValuePair<string, object?>("outcome", outcome == InboundOutcome.PartAccepted ? "part_accepted" : outcome.ToString().ToLowerInvariant()));

    public static void Extraction(bool found) => s_extractions.Add(1, new KeyValuePair<string, object?>("result", found ? "code" : "no_code"));

    public static void WebhookAttempt(string result) => s_webhooks.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <param name="latency">From the message's storage (its received_at) to the 2xx answer.</param>
    public static void WebhookDelivered(TimeSpan latency) => s_webhookLatency.Record(Math.Max(0, latency.TotalSeconds));
}
