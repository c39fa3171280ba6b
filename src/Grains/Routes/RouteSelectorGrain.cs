using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Sms.Numbers;

namespace Pool.Grains.Routes;

/// <summary>
/// Routes and submits outbound messages. A stateless worker so that a country's messages do not
/// funnel through one activation: every silo runs as many selectors as it needs, each deciding from
/// the silo's shared <see cref="RouteCache"/> (tables and route health), calling the route grain per
/// message only to count the outcome (in memory) and, for a half-open route, to take a probe place.
/// A failed submit is counted and the message moves on to the next usable route, so a failing primary
/// costs attempts, not failed requests, until its breaker opens.
/// <para>
/// Reentrant: a send spends nearly all its time awaiting the carrier (a submit can take seconds), and
/// the grain keeps no mutable state (everything it reads is in the thread-safe silo cache), so one
/// activation interleaves as many sends as callers make and a bind's whole window can be used; a
/// non-reentrant worker would cap a silo at one submit per local activation (its CPU count).
/// </para>
/// </summary>
[StatelessWorker] // No state of its own; see above: per-message routing must not be a single activation per country.
[Reentrant] // See above: sends only await; many in flight at once is the point, there is no state to protect.
public sealed class RouteSelectorGrain(
    IOutboundGateway gateway,
    RouteCache cache,
    OutboundStore outbound,
    RouteMetrics metrics,
    IOptions<RouteSelectionOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<RouteSelectorGrain> logger) : Grain, IRouteSelectorGrain
{
    public async Task<OutboundSent> SendAsync(OutboundSms sms, CancellationToken cancellationToken = default)
    {
        var to = Parse(sms.To);
        var country = E164.RegionOf(to);
        var tried = new HashSet<string>(StringComparer.Ordinal);
        var attempts = new List<RouteAttempt>();
        RouteDecision? decision = null;
        for (var attempt = 0; attempt < options.Value.MaxAttempts; attempt++)
        {
            decision = await DecideAsync(to, country, tried, takeProbe: true);
            if (decision.RouteId is not { } routeId)
            {
                break;
            }

            tried.Add(routeId);
            var result = await SubmitAsync(decision.Connection!, sms with { To = to }, cancellationToken);
            var route = await GrainFactory.GetGrain<ICarrierRouteGrain>(routeId).RecordSubmitAsync(result.Outcome, result.Latency);
            cache.Put(routeId, route);
            metrics.Submitted(routeId, result.Outcome);
            attempts.Add(new RouteAttempt(routeId, result.Outcome, result.Error, result.Latency));
            if (result.Outcome == SubmitOutcome.Accepted)
            {
                await RememberAsync(decision, result, sms.Reference, cancellationToken);
                return new OutboundSent(routeId, decision.Connection!, result.CarrierMessageIds, decision, attempts);
            }

            RouteLog.SubmitFailed(logger, routeId, new MaskedNumber(to), result.Outcome, result.Error ?? "");
        }

        var reason = attempts.Count == 0 ? "no_route" : "submit_failed";
        metrics.Unavailable(country, reason);
        var summary = Redact(attempts.Count == 0
            ? decision!.Summary
            : $"{string.Join("; ", attempts.Select(a => $"route '{a.RouteId}': {a.Outcome.ToString().ToLowerInvariant()} ({a.Error})"))}; then: {decision!.Summary}");
        RouteLog.Unavailable(logger, new MaskedNumber(to), country, summary);
        throw new PoolException(PoolErrorCode.Unavailable, $"no carrier route could take a message to {E164.Mask(to)} ({country}): {summary}");
    }

    public Task<RouteDecision> ExplainAsync(string destination)
    {
        var to = Parse(destination);
        return DecideAsync(to, E164.RegionOf(to), new HashSet<string>(StringComparer.Ordinal), takeProbe: false);
    }

    private async Task<RouteDecision> DecideAsync(string to, string country, IReadOnlySet<string> tried, bool takeProbe)
    {
        var table = await cache.GetTableAsync(GrainFactory, country);
        var ids = table.Primary.Concat(table.Secondary).ToList();
        var routes = await Task.WhenAll(ids.Select(id => cache.GetRouteAsync(GrainFactory, id)));
        var byId = ids.Zip(routes).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
        var weighed = RouteRanking.Weigh(to, country, table, byId, time.GetUtcNow(), tried);

        var considered = new List<RouteConsideration>();
        WeighedRoute? chosen = null;
        foreach (var route in weighed)
        {
            if (chosen is not null || route.Tier is null)
            {
                considered.Add(route.Consider(false, route.Tier is null ? route.Reason : $"{route.Reason}; ranked after '{chosen!.RouteId}'"));
                continue;
            }

            if (route.Probe && takeProbe && !await GrainFactory.GetGrain<ICarrierRouteGrain>(route.RouteId).TryAcquireProbeAsync())
            {
                considered.Add(route.Consider(false, $"{route.Reason}; no probe place free"));
                continue;
            }

            chosen = route;
            considered.Add(route.Consider(true, takeProbe || !route.Probe ? route.Reason : $"{route.Reason}; taken if a probe place is free"));
        }

        var masked = E164.Mask(to);
        if (chosen is null)
        {
            var why = ids.Count == 0
                ? $"no route table for {country}"
                : $"no usable route in the primary or secondary list of {country}";
            return new RouteDecision(masked, country, null, null, null, false, considered, why);
        }

        var summary = $"{(chosen.List == RouteList.Primary ? "primary" : "secondary")} route '{chosen.RouteId}'{(chosen.Probe ? " as a probe" : "")}: {chosen.Reason}";
        return new RouteDecision(masked, country, chosen.RouteId, chosen.Route!.Definition.Connection, chosen.List, chosen.Probe, considered, summary);
    }

    /// <summary>
    /// One submit, bounded by <see cref="RouteSelectionOptions.SubmitTimeout"/>. The gateway reports the
    /// carrier's silence itself (a timeout: a failure the breaker counts). When the selector's deadline
    /// passes first, the gateway was still waiting for room in the bind's window or out a throttle pause:
    /// that is congestion, so it counts as throttled and never trips the breaker.
    /// </summary>
    private async Task<SubmitResult> SubmitAsync(string connection, OutboundSms sms, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.Value.SubmitTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            return await gateway.SubmitAsync(connection, sms, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SubmitResult.Throttled(TimeProvider.System.GetElapsedTime(started), $"no answer within the submit deadline of {options.Value.SubmitTimeout.TotalSeconds:0.#} s: the bind is congested or throttled");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return SubmitResult.Failed(TimeProvider.System.GetElapsedTime(started), ex.Message);
        }
    }

    /// <summary>
    /// Records the accepted parts for their status reports and applies the reports that overtook the
    /// submit. The message is out whatever happens here, so a failure is logged, not thrown: its reports
    /// are then stored as pending by the receipt grain, matched to nothing.
    /// </summary>
    private async Task RememberAsync(RouteDecision decision, SubmitResult result, string reference, CancellationToken cancellationToken)
    {
        IReadOnlyList<Settlement> settled;
        try
        {
            settled = await outbound.RecordSentAsync(decision.Connection!, result.CarrierMessageIds, decision.RouteId!, reference, time.GetUtcNow(), options.Value.ReportWindows, cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            RouteLog.SentNotRecorded(logger, decision.RouteId!, reference, ex);
            return;
        }

        if (settled.Count == 0)
        {
            return;
        }

        RouteLog.PendingReportsApplied(logger, decision.RouteId!, reference, settled.Count);
        foreach (var settlement in settled)
        {
            await OutboundReceiptGrain.CountAsync(GrainFactory, cache, settlement, logger);
            // Not awaited: the owner (a verification) is usually the caller of this very send and
            // non-reentrant, so it takes the delivery once its send has returned. Never thrown: what
            // does not reach the owner here is left to the owner sweep.
            _ = OwnerNotices.TellAndMarkAsync(GrainFactory, outbound, time, settlement, logger);
        }
    }

    private static string Parse(string destination) =>
        E164.TryParse(destination, out var number, out var error)
            ? number
            : throw new PoolException(PoolErrorCode.InvalidArgument, $"to {Redact(error)}", "to");

    /// <summary>Validation messages quote the input; a refusal must not carry a full number either.</summary>
    private static string Redact(string error) => Pool.Sms.Logging.LogRedaction.MaskNumbers(error);
}
