using System.Diagnostics.Metrics;
using Pool.Contracts.Inbound;

namespace Pool.Grains.Inbound;

/// <summary>
/// The "Pool.Inbound" meter: <c>pool.inbound.messages</c> (SMS accepted from carriers, by outcome:
/// delivered, unsolicited, duplicate, part_accepted) and <c>pool.webhooks.attempts</c> (webhook
/// attempts by result: delivered, retry, given_up, gone).
/// </summary>
public static class InboundMetrics
{
    public const string MeterName = "Pool.Inbound";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_messages = s_meter.CreateCounter<long>("pool.inbound.messages", "{message}", "SMS accepted from carriers, by outcome");
    private static readonly Counter<long> s_webhooks = s_meter.CreateCounter<long>("pool.webhooks.attempts", "{attempt}", "Webhook attempts, by result");

    public static void Message(InboundOutcome outcome) =>
        s_messages.Add(1, new KeyValuePair<string, object?>("outcome", outcome == InboundOutcome.PartAccepted ? "part_accepted" : outcome.ToString().ToLowerInvariant()));

    public static void WebhookAttempt(string result) => s_webhooks.Add(1, new KeyValuePair<string, object?>("result", result));
}
