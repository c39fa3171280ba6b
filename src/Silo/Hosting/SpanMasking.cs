using System.Diagnostics;
using OpenTelemetry;
using Pool.Sms.Logging;

namespace Pool.Silo.Hosting;

/// <summary>
/// The privacy promise for traces: runs before the exporter and masks phone numbers
/// (<see cref="TraceRedaction.Mask"/>) in every span's display name, string tag values and status description,
/// whichever source made it (Orleans names grain ids such as "number/+85251234567"; ASP.NET Core and HttpClient
/// record paths and queries). An event cannot be changed once added, so a span with a number in an event's
/// name or tags is not exported at all. Baggage a caller sent is masked when a span starts, before anything
/// passes it on. Codes, secrets and message texts are never put into spans (Pool's spans carry ids only;
/// request and response bodies are not recorded).
/// </summary>
public sealed class SpanMasking : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var (key, value) in data.Baggage)
        {
            if (TraceRedaction.NeedsMasking(value))
            {
                data.SetBaggage(key, TraceRedaction.Mask(value!));
            }
        }
    }

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Mask(data);
    }

    /// <summary>What a tag holding a connection string is replaced with.</summary>
    public const string ConnectionStringWithheld = "(connection string withheld)";

    private static bool IsConnectionString(string text) =>
        text.Contains("Host=", StringComparison.OrdinalIgnoreCase) || text.Contains("Password=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Masks <paramref name="span"/> in place; a span it cannot mask is marked not recorded, so no exporter sends it.</summary>
    public static void Mask(Activity span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (TraceRedaction.NeedsMasking(span.DisplayName))
        {
            span.DisplayName = TraceRedaction.Mask(span.DisplayName);
        }

        List<KeyValuePair<string, string>>? masked = null;
        foreach (var tag in span.EnumerateTagObjects())
        {
            if (tag.Value is string connection && IsConnectionString(connection))
            {
                // Npgsql tags a command with its data source's name, which is the connection string
                // when the data source has none (Orleans' own providers): it may hold a password.
                (masked ??= []).Add(new(tag.Key, ConnectionStringWithheld));
            }
            else if (tag.Value is string text && TraceRedaction.NeedsMasking(text))
            {
                (masked ??= []).Add(new(tag.Key, TraceRedaction.Mask(text)));
            }
        }

        foreach (var (key, value) in masked ?? [])
        {
            span.SetTag(key, value);
        }

        if (TraceRedaction.NeedsMasking(span.StatusDescription))
        {
            span.SetStatus(span.Status, TraceRedaction.Mask(span.StatusDescription!));
        }

        foreach (var spanEvent in span.EnumerateEvents())
        {
            if (HoldsNumber(spanEvent))
            {
                span.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                return;
            }
        }
    }

    private static bool HoldsNumber(ActivityEvent spanEvent)
    {
        if (TraceRedaction.NeedsMasking(spanEvent.Name))
        {
            return true;
        }

        foreach (var tag in spanEvent.EnumerateTagObjects())
        {
            if (tag.Value is string text && TraceRedaction.NeedsMasking(text))
            {
                return true;
            }
        }

        return false;
    }
}
