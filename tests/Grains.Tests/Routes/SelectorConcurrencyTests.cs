using Pool.Contracts.Routes;
using Pool.Grains.Routes;
using Pool.Testing;

namespace Pool.Grains.Tests.Routes;

/// <summary>
/// The route selector under load on one silo: it keeps a bind's window full (it is reentrant), and a
/// submit the gateway cannot answer before the selector's deadline (throttle pauses) slows the route
/// without opening its breaker.
/// </summary>
public sealed class SelectorConcurrencyTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>
{
    private static readonly RouteHealthOptions Health = new();

    private IGrainFactory Grains => fixture.Grains;

    private IRouteSelectorGrain Selector => Grains.GetGrain<IRouteSelectorGrain>(0);

    private async Task DefineAsync(string country, string[] primary, string[] secondary)
    {
        foreach (var routeId in primary.Concat(secondary))
        {
            await Grains.GetGrain<ICarrierRouteGrain>(routeId).UpsertAsync(new RouteDefinition(routeId, routeId, [country], [], 0.01m, 10));
        }

        await Grains.GetGrain<IRouteTableGrain>(country).SetAsync(primary, secondary);
    }

    [Fact]
    public async Task One_silo_keeps_at_least_ten_submits_in_flight_at_once()
    {
        await DefineAsync("NO", ["no-window"], []);
        fixture.Gateway.CloseGate();
        fixture.Gateway.Set("no-window", new CarrierBehaviour(Hold: true));

        var sends = Enumerable.Range(0, 16).Select(i => Selector.SendAsync(new OutboundSms($"+4791234{i:000}", "hello", $"test:no{i}"))).ToList();
        var inFlight = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Gateway.InFlight("no-window")), n => n >= 10, TimeSpan.FromSeconds(20), "at least 10 submits waiting for the carrier at once");
        fixture.Gateway.OpenGate();
        var sent = await Task.WhenAll(sends);

        Assert.True(inFlight >= 10, $"{inFlight} submits were in flight together");
        Assert.All(sent, s => Assert.Equal("no-window", s.RouteId));
        Assert.Equal(16, sent.Select(s => s.CarrierMessageIds[0]).Distinct().Count());
    }

    [Fact]
    public async Task A_submit_still_waiting_out_throttle_pauses_at_the_deadline_counts_as_throttled_and_never_opens_the_breaker()
    {
        await DefineAsync("DK", ["dk-throttled"], ["dk-secondary"]);
        fixture.Gateway.Set("dk-throttled", new CarrierBehaviour(Stall: true));
        var timeout = new RouteSelectionOptions().SubmitTimeout;
        var sends = Health.ConsecutiveFailuresToOpen + 2;
        var routes = new List<string>();
        for (var i = 0; i < sends; i++)
        {
            var send = Selector.SendAsync(new OutboundSms("+4520123456", $"message {i}", $"test:dk{i}"));
            await Eventually.ReturnsAsync(
                () => Task.FromResult(fixture.Gateway.InFlight("dk-throttled")), n => n == 1, TimeSpan.FromSeconds(20), "the submit waiting on the throttled bind");
            fixture.Clock.Advance(timeout);
            routes.Add((await send).RouteId);
        }

        var primary = await Grains.GetGrain<ICarrierRouteGrain>("dk-throttled").GetAsync();
        var attempts = (await Selector.ExplainAsync("+4520123456")).Considered.Single(c => c.RouteId == "dk-throttled");

        Assert.All(routes, route => Assert.Equal("dk-secondary", route));
        Assert.Equal(CircuitState.Closed, primary.Health.Circuit);
        Assert.Equal((sends, 0, 0), (primary.Health.Throttled, primary.Health.Errors, primary.Health.Timeouts));
        Assert.True(attempts.Taken, $"the throttled primary is still the first choice: {attempts.Reason}");
    }
}
