using System.Diagnostics;

namespace Pool.Contracts.Tracing;

/// <summary>
/// Pool's own spans (ActivitySource <see cref="SourceName"/>): the inbound path of an SMS, from the carrier to
/// the tenant. Starting a span costs nothing while no tracer listens (tracing is off unless an exporter is
/// configured): <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> then returns null.
/// No span or tag carries a phone number, a code or a message text; the host's masking processor is the
/// last line of defence for what other sources record.
/// </summary>
public static class PoolActivity
{
    /// <summary>The ActivitySource name Pool's spans come from.</summary>
    public const string SourceName = "Pool";

    /// <summary>An inbound SMS (or part, or status report) received from a carrier: HTTP POST or SMPP deliver_sm / data_sm.</summary>
    public const string InboundReceive = "pool.inbound.receive";

    /// <summary>The message written to the messages table (one INSERT).</summary>
    public const string InboundStore = "pool.inbound.store";

    /// <summary>The stored message handed to its lease and, while the lease is live, to the lease's tenant.</summary>
    public const string InboundRoute = "pool.inbound.route";

    /// <summary>One message written to a gRPC stream (WatchMessages / WatchAllMessages).</summary>
    public const string StreamWrite = "pool.stream.write";

    /// <summary>One attempt to deliver a message.received webhook.</summary>
    public const string WebhookSend = "pool.webhook.send";

    /// <summary>One group-commit statement of grain storage (reads or writes of many grains in one round trip).</summary>
    public const string StorageStatement = "pool.storage.statement";

    /// <summary>Tag: the carrier (connection name) a message came from.</summary>
    public const string CarrierTag = "pool.carrier";

    /// <summary>Tag: "http" or "smpp".</summary>
    public const string ChannelTag = "pool.inbound.channel";

    /// <summary>Tag: what the carrier delivered: "mo", "part" or "report".</summary>
    public const string KindTag = "pool.inbound.kind";

    /// <summary>Tag: Pool's message id (never the number or the text).</summary>
    public const string MessageIdTag = "pool.message.id";

    /// <summary>Tag: the lease a message was routed to.</summary>
    public const string LeaseIdTag = "pool.lease.id";

    /// <summary>Tag: how the step ended (e.g. "delivered", "unsolicited", "duplicate").</summary>
    public const string OutcomeTag = "pool.outcome";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The W3C traceparent of the current span when it is recorded (sampled), so a later step that picks the
    /// message up can continue its trace; null when tracing is off or the span is not sampled.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts <paramref name="name"/> as a child of <paramref name="traceParent"/> (a W3C traceparent carried with a
    /// message) with a link to the span current here; with no usable traceparent, as a child of the current span.
    /// Null when nothing listens.
    /// </summary>
    public static Activity? StartContinuing(string name, ActivityKind kind, string? traceParent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        if (traceParent is null || !ActivityContext.TryParse(traceParent, null, out var parent))
        {
            return Source.StartActivity(name, kind);
        }

        var here = Activity.Current;
        ActivityLink[]? links = here is null ? null : [new ActivityLink(here.Context)];
        return Source.StartActivity(name, kind, parent, tags: null, links: links);
    }
}
