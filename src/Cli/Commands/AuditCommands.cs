using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl audit: the audit log — who changed what, when and from where (needs an admin key).</summary>
internal static class AuditCommands
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    public static Command Create(Func<CliContext> context)
    {
        var actor = new Option<string?>("--actor") { Description = "Only rows of this API key id (e.g. pool_0123456789ab, or system)." };
        var tenant = new Option<string?>("--tenant") { Description = "Only rows of callers of this tenant." };
        var action = new Option<string?>("--action") { Description = "Only actions starting with this, e.g. number. or pool.policy.update." };
        var target = new Option<string?>("--target") { Description = "Only targets starting with this, e.g. pool/hk-main or tenant/." };
        var since = new Option<string?>("--since") { Description = "Only rows from this long ago (90s, 20m, 2h, 30d) or from this time (ISO 8601, e.g. 2026-12-01T00:00:00Z)." };
        var until = new Option<string?>("--until") { Description = "Only rows before this time (ISO 8601)." };
        var limit = WholeNumbers.Optional("--limit", $"At most this many rows, newest first (default {DefaultLimit}, at most {MaxLimit}).");
        var command = new Command("audit", "The audit log, newest first: who (key, role, tenant, address) did what (action, target, before/after) and when.")
        {
            actor, tenant, action, target, since, until, limit,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new ListAuditEventsRequest
            {
                KeyId = parse.GetValue(actor) ?? "",
                TenantId = parse.GetValue(tenant) ?? "",
                Action = parse.GetValue(action) ?? "",
                Target = parse.GetValue(target) ?? "",
            };
            if (parse.GetValue(since) is { } sinceText)
            {
                if (Durations.TryParse(sinceText, out var ago))
                {
                    request.From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow - ago.Value);
                }
                else if (ParseTime(sinceText) is { } from)
                {
                    request.From = Timestamp.FromDateTimeOffset(from);
                }
                else
                {
                    await ctx.Error.WriteLineAsync($"error: --since '{sinceText}' is neither a duration ({Durations.Hint}) nor a time (ISO 8601, e.g. 2026-12-01T00:00:00Z)");
                    return ExitCodes.Usage;
                }
            }

            if (parse.GetValue(until) is { } untilText)
            {
                if (ParseTime(untilText) is not { } to)
                {
                    await ctx.Error.WriteLineAsync($"error: --until '{untilText}' is not a time; use ISO 8601, e.g. 2026-12-01T00:00:00Z");
                    return ExitCodes.Usage;
                }

                request.To = Timestamp.FromDateTimeOffset(to);
            }

            var wanted = parse.GetValue(limit) ?? DefaultLimit;
            if (wanted is < 1 or > MaxLimit)
            {
                await ctx.Error.WriteLineAsync($"error: --limit {wanted} is out of range: 1 to {MaxLimit}");
                return ExitCodes.Usage;
            }

            var client = new Audit.AuditClient(ctx.Invoker);
            var events = new List<AuditEvent>();
            do
            {
                request.PageSize = Math.Min(wanted - events.Count, 1000);
                var page = await client.ListAuditEventsAsync(request, cancellationToken: cancellationToken);
                events.AddRange(page.Events);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0 && events.Count < wanted);

            Output.Rows(ctx, events, "no audit rows", ["time", "key", "role", "tenant", "address", "action", "target", "before", "after", "correlation id"], e =>
                [Output.Time(e.Time), e.KeyId, e.Role, e.TenantId, e.PeerAddress, e.Action, e.Target, e.BeforeJson, e.AfterJson, e.CorrelationId]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
