using System.Diagnostics.Metrics;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Grains.Routes;

namespace Pool.Grains.Tests.Routes;

/// <summary>Route choice and failover on a real cluster, with a scripted carrier per connection and a fake clock.</summary>
public sealed class RouteSelectionTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>
{
    private static readonly RouteHealthOptions Health = new();

    private IGrainFactory Grains => fixture.Grains;

    private IRouteSelectorGrain Selector => Grains.GetGrain<IRouteSelectorGrain>(0);

    /// <summary>Defines routes named by the test (each on a carrier connection of the same name) and the country's table.</summary>
    private async Task DefineAsync(string country, string[] primary, string[] secondary, Func<string, RouteDefinition, RouteDefinition>? adjust = null)
    {
        foreach (var routeId in primary.Concat(secondary))
        {
            var definition = new RouteDefinition(routeId, routeId, [country], [], Cost: 0.01m, Priority: 10);
            await Grains.GetGrain<ICarrierRouteGrain>(routeId).UpsertAsync(adjust?.Invoke(routeId, definition) ?? definition);
        }

        await Grains.GetGrain<IRouteTableGrain>(country).SetAsync(primary, secondary);
    }

    private async Task<List<string>> SendAsync(string to, int messages)
    {
        var routes = new List<string>();
        for (var i = 0; i < messages; i++)
        {
            routes.Add((await Selector.SendAsync(new OutboundSms(to, $"message {i}", $"test:{i}"))).RouteId);
        }

        return routes;
    }

    [Fact]
    public async Task A_healthy_primary_route_takes_the_message_and_the_decision_says_why()
    {
        await DefineAsync("HK", ["hk-primary"], ["hk-secondary"]);

        var sent = await Selector.SendAsync(new OutboundSms("+85251234567", "hello", "test:1"));

        Assert.Equal("hk-primary", sent.RouteId);
        Assert.Equal(RouteList.Primary, sent.Decision.List);
        Assert.Equal("+852****4567", sent.Decision.Destination);
        Assert.Single(sent.CarrierMessageIds);
        Assert.Equal(["hk-primary", "hk-secondary"], sent.Decision.Considered.Select(c => c.RouteId));
        Assert.True(sent.Decision.Considered[0].Taken);
        Assert.Contains("healthy", sent.Decision.Considered[0].Reason, StringComparison.Ordinal);
        Assert.Contains("ranked after 'hk-primary'", sent.Decision.Considered[1].Reason, StringComparison.Ordinal);
        Assert.Equal("+85251234567", fixture.Gateway.SubmissionsTo("hk-primary").Single().To);
    }

    [Fact]
    public async Task A_primary_with_a_high_error_rate_is_taken_down_by_its_score_and_no_message_fails_meanwhile()
    {
        await DefineAsync("GB", ["gb-primary"], ["gb-secondary"]);
        fixture.Gateway.Set("gb-primary", new CarrierBehaviour(ErrorRate: 0.6));

        var routes = await SendAsync("+447400123456", 20);
        var primary = await Grains.GetGrain<ICarrierRouteGrain>("gb-primary").GetAsync();

        var primarySubmits = fixture.Gateway.SubmissionsTo("gb-primary");
        Assert.Equal(Health.MinimumSamples, primarySubmits.Count);
        Assert.Equal(RouteState.Down, primary.Health.State);
        Assert.Contains("score", primary.Health.Reason, StringComparison.Ordinal);
        Assert.All(routes.Skip(Health.MinimumSamples), route => Assert.Equal("gb-secondary", route));
        Assert.Equal(20, fixture.Gateway.SubmissionsTo("gb-secondary").Count(s => s.Outcome == SubmitOutcome.Accepted) + primarySubmits.Count(s => s.Outcome == SubmitOutcome.Accepted));
    }

    [Fact]
    public async Task A_primary_outage_costs_no_more_failed_submits_than_the_breaker_threshold_and_traffic_moves_to_the_secondary()
    {
        await DefineAsync("DE", ["de-primary"], ["de-secondary"]);
        var before = await SendAsync("+4915123456789", 3);
        fixture.Gateway.Set("de-primary", new CarrierBehaviour(Outage: true));

        var during = await SendAsync("+4915123456789", 20);

        var failed = fixture.Gateway.SubmissionsTo("de-primary").Count(s => s.Outcome != SubmitOutcome.Accepted);
        Assert.All(before, route => Assert.Equal("de-primary", route));
        Assert.Equal(Health.ConsecutiveFailuresToOpen, failed);
        Assert.All(during, route => Assert.Equal("de-secondary", route));
        var primary = await Grains.GetGrain<ICarrierRouteGrain>("de-primary").GetAsync();
        Assert.Equal(CircuitState.Open, primary.Health.Circuit);
    }

    [Fact]
    public async Task When_both_lists_are_down_a_message_is_refused_at_once_as_unavailable_and_counted()
    {
        await DefineAsync("SG", ["sg-primary"], ["sg-secondary"]);
        fixture.Gateway.Set("sg-primary", new CarrierBehaviour(Outage: true));
        fixture.Gateway.Set("sg-secondary", new CarrierBehaviour(Silent: true));
        for (var i = 0; i < Health.ConsecutiveFailuresToOpen; i++)
        {
            await Assert.ThrowsAsync<PoolException>(() => Selector.SendAsync(new OutboundSms("+6591234567", "x", "test:sg")));
        }

        var unavailable = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RouteMetrics.MeterName && instrument.Name == "pool.routes.unavailable")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (unavailable)
            {
                unavailable.Add(string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}")));
            }
        });
        listener.Start();
        var submitsBefore = fixture.Gateway.SubmissionsTo("sg-primary").Count + fixture.Gateway.SubmissionsTo("sg-secondary").Count;

        var refused = await Assert.ThrowsAsync<PoolException>(() => Selector.SendAsync(new OutboundSms("+6591234567", "x", "test:sg")));

        Assert.Equal(PoolErrorCode.Unavailable, refused.Code);
        Assert.Contains("no usable route in the primary or secondary list of SG", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("91234567", refused.Message, StringComparison.Ordinal);
        Assert.Equal(submitsBefore, fixture.Gateway.SubmissionsTo("sg-primary").Count + fixture.Gateway.SubmissionsTo("sg-secondary").Count);
        Assert.Contains("country=SG,reason=no_route", unavailable);
    }

    [Fact]
    public async Task A_recovered_primary_gets_probes_after_the_cool_off_and_all_traffic_back_after_the_hold_period()
    {
        await DefineAsync("FR", ["fr-primary"], ["fr-secondary"]);
        fixture.Gateway.Set("fr-primary", new CarrierBehaviour(Outage: true));
        await SendAsync("+33612345678", Health.ConsecutiveFailuresToOpen);
        fixture.Gateway.Set("fr-primary", CarrierBehaviour.Good);

        var coolingOff = await SendAsync("+33612345678", 3);
        fixture.Clock.Advance(Health.OpenFor);
        var probing = await SendAsync("+33612345678", Health.ProbeSuccessesToClose);
        var held = await SendAsync("+33612345678", 3);
        var heldRoute = await Grains.GetGrain<ICarrierRouteGrain>("fr-primary").GetAsync();
        var explainedDuringHold = await Selector.ExplainAsync("+33612345678");
        fixture.Clock.Advance(Health.HoldAfterRecovery);
        var returned = await SendAsync("+33612345678", 3);

        Assert.All(coolingOff, route => Assert.Equal("fr-secondary", route));
        Assert.All(probing, route => Assert.Equal("fr-primary", route));
        Assert.All(held, route => Assert.Equal("fr-secondary", route));
        Assert.Equal(CircuitState.Closed, heldRoute.Health.Circuit);
        Assert.NotNull(heldRoute.Health.HoldUntil);
        Assert.Contains("held back", explainedDuringHold.Considered.Single(c => c.RouteId == "fr-primary").Reason, StringComparison.Ordinal);
        Assert.All(returned, route => Assert.Equal("fr-primary", route));
    }

    [Fact]
    public async Task A_drained_route_and_a_route_for_other_prefixes_are_passed_over_with_their_reasons()
    {
        await DefineAsync("ES", ["es-primary", "es-other-prefix"], ["es-secondary"], (id, d) => id == "es-other-prefix" ? d with { Prefixes = ["+3491"], Priority = 1 } : d);
        await Grains.GetGrain<ICarrierRouteGrain>("es-primary").SetOverrideAsync(RouteOverride.Drain);

        var decision = await Selector.ExplainAsync("+34612345678");

        Assert.Equal("es-secondary", decision.RouteId);
        Assert.Equal(RouteList.Secondary, decision.List);
        Assert.Contains("draining", decision.Considered.Single(c => c.RouteId == "es-primary").Reason, StringComparison.Ordinal);
        Assert.Contains("does not serve this destination", decision.Considered.Single(c => c.RouteId == "es-other-prefix").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Among_healthy_routes_of_a_list_the_lower_priority_number_then_the_lower_cost_wins()
    {
        await DefineAsync("US", ["us-dear", "us-cheap", "us-preferred"], [], (id, d) => id switch
        {
            "us-dear" => d with { Priority = 5, Cost = 0.05m },
            "us-cheap" => d with { Priority = 5, Cost = 0.01m },
            _ => d with { Priority = 1, Cost = 0.09m },
        });
        await Grains.GetGrain<ICarrierRouteGrain>("us-preferred").SetOverrideAsync(RouteOverride.Disable);

        var decision = await Selector.ExplainAsync("+16502530000");

        Assert.Equal("us-cheap", decision.RouteId);
        Assert.Equal(["us-cheap", "us-dear", "us-preferred"], decision.Considered.Select(c => c.RouteId));
    }

    [Fact]
    public async Task A_delivery_receipt_is_counted_once_in_the_routes_health()
    {
        await DefineAsync("IT", ["it-primary"], []);
        var sent = await Selector.SendAsync(new OutboundSms("+393123456789", "hello", "test:it"));
        var receipts = Grains.GetGrain<IOutboundReceiptGrain>(0);

        var first = await receipts.RecordAsync(Reports.Final("it-primary", sent.CarrierMessageIds[0], true, null));
        var repeated = await receipts.RecordAsync(Reports.Final("it-primary", sent.CarrierMessageIds[0], true, null));
        var unknown = await receipts.RecordAsync(Reports.Final("it-primary", "no-such-id", false, null));
        var route = await Grains.GetGrain<ICarrierRouteGrain>("it-primary").GetAsync();

        Assert.Equal(StatusReportOutcome.Recorded, first);
        Assert.Equal(StatusReportOutcome.Duplicate, repeated);
        Assert.Equal(StatusReportOutcome.Pending, unknown);
        Assert.Equal(1, route.Health.Delivered);
    }

    [Fact]
    public async Task Invalid_definitions_and_tables_are_refused_naming_the_field()
    {
        var route = Grains.GetGrain<ICarrierRouteGrain>("bad-prefix");
        var prefix = await Assert.ThrowsAsync<PoolException>(() => route.UpsertAsync(new RouteDefinition("bad-prefix", "c", [], ["852"], 0, 1)));
        var nothing = await Assert.ThrowsAsync<PoolException>(() => route.UpsertAsync(new RouteDefinition("bad-prefix", "c", [], [], 0, 1)));
        var cost = await Assert.ThrowsAsync<PoolException>(() => route.UpsertAsync(new RouteDefinition("bad-prefix", "c", ["HK"], [], -1, 1)));
        var table = await Assert.ThrowsAsync<PoolException>(() => Grains.GetGrain<IRouteTableGrain>("NL").SetAsync(["no-such-route"], []));
        var noRoute = await Assert.ThrowsAsync<PoolException>(() => Selector.SendAsync(new OutboundSms("+85299999999x", "x", "test:x")));

        Assert.Equal(("prefixes", PoolErrorCode.InvalidArgument), (prefix.Field, prefix.Code));
        Assert.Equal("countries", nothing.Field);
        Assert.Equal("cost", cost.Field);
        Assert.Equal(("primary", PoolErrorCode.InvalidArgument), (table.Field, table.Code));
        Assert.Equal(("to", PoolErrorCode.InvalidArgument), (noRoute.Field, noRoute.Code));
    }
}
