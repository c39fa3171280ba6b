using Google.Rpc;
using Grpc.Core;
using Pool.Cli;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// pool.v1.Routes and poolctl routes against a real Pool. No carrier connection is configured in this
/// process, so nothing here sends a message: these tests cover definitions, overrides, tables and the
/// explained decisions, which need no carrier. Routes and tables are global, so each test uses its own
/// route ids and its own country.
/// </summary>
public sealed class RoutesApiTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private readonly Routes.RoutesClient _routes = new(fixture.Admin);

    private static string NewRouteId(string name) => $"{name}-{Guid.NewGuid():n}"[..20];

    private Task<Route> DefineAsync(string routeId, string country, int priority = 0) =>
        _routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = routeId, Connection = $"smpp-{routeId}", Countries = { country }, Priority = priority }).ResponseAsync;

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    private static List<string> Fields(RpcException error) =>
        [.. error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field)];

    [Fact]
    public async Task A_route_is_defined_read_listed_overridden_and_keeps_its_override_when_redefined()
    {
        var routeId = NewRouteId("crud");

        var created = await _routes.UpsertRouteAsync(new UpsertRouteRequest
        {
            RouteId = routeId, Connection = " smpp-csl ", Countries = { "hk", "HK", "mo" }, Prefixes = { "+8525", "+8536" }, Cost = "0.0042", Priority = 10,
        });
        var read = await _routes.GetRouteAsync(new GetRouteRequest { RouteId = routeId });
        var listed = await _routes.ListRoutesAsync(new ListRoutesRequest());
        var drained = await _routes.SetRouteOverrideAsync(new SetRouteOverrideRequest { RouteId = routeId, Override = RouteOverride.Drain });
        var disabled = await _routes.SetRouteOverrideAsync(new SetRouteOverrideRequest { RouteId = routeId, Override = RouteOverride.Disable });
        var redefined = await _routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = routeId, Connection = "smpp-pccw", Countries = { "HK" }, Enabled = false });
        var restored = await _routes.SetRouteOverrideAsync(new SetRouteOverrideRequest { RouteId = routeId, Override = RouteOverride.None });

        Assert.Equal(("smpp-csl", 10, "0.0042", true), (created.Connection, created.Priority, created.Cost, created.Enabled));
        Assert.Equal(["HK", "MO"], created.Countries);
        Assert.Equal(["+8525", "+8536"], created.Prefixes);
        Assert.Equal(RouteOverride.None, created.Override);
        Assert.Equal((RouteState.Healthy, CircuitState.Closed, 1.0, 0), (created.Health.State, created.Health.Circuit, created.Health.Score, created.Health.Accepted + created.Health.Errors));
        Assert.Equal("no traffic yet", created.Health.Reason);
        Assert.Equal(created, read);
        Assert.Contains(listed.Routes, r => r.RouteId == routeId && r.Connection == "smpp-csl");
        Assert.Equal([.. listed.Routes.Select(r => r.RouteId).Order(StringComparer.Ordinal)], listed.Routes.Select(r => r.RouteId));
        Assert.Equal(RouteOverride.Drain, drained.Override);
        Assert.Equal(RouteOverride.Disable, disabled.Override);
        Assert.Equal("disabled by an operator", disabled.Health.Reason);
        Assert.Equal(("smpp-pccw", false, "0", 0), (redefined.Connection, redefined.Enabled, redefined.Cost, redefined.Priority));
        Assert.True(RouteOverride.Disable == redefined.Override, "a new definition keeps the operator's override");
        Assert.Equal(RouteOverride.None, restored.Override);
    }

    [Fact]
    public async Task An_unknown_route_is_not_found()
    {
        var routeId = NewRouteId("unknown");

        var get = await RefusedAsync(() => _routes.GetRouteAsync(new GetRouteRequest { RouteId = routeId }).ResponseAsync);
        var overridden = await RefusedAsync(() => _routes.SetRouteOverrideAsync(new SetRouteOverrideRequest { RouteId = routeId, Override = RouteOverride.Drain }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, get.StatusCode);
        Assert.Equal(StatusCode.NotFound, overridden.StatusCode);
        Assert.Contains(routeId, get.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_table_is_set_read_and_listed_and_an_unset_one_is_empty()
    {
        var (a, b, c) = (NewRouteId("mo-a"), NewRouteId("mo-b"), NewRouteId("mo-c"));
        await DefineAsync(a, "MO");
        await DefineAsync(b, "MO");
        await DefineAsync(c, "MO");

        var empty = await _routes.GetRouteTableAsync(new GetRouteTableRequest { Country = "MO" });
        var set = await _routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "mo", Primary = { a, b }, Secondary = { c } });
        var read = await _routes.GetRouteTableAsync(new GetRouteTableRequest { Country = "mo" });
        var listed = await _routes.ListRouteTablesAsync(new ListRouteTablesRequest());
        var replaced = await _routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "MO", Primary = { c } });

        Assert.Equal(("MO", 0, 0), (empty.Country, empty.Primary.Count, empty.Secondary.Count));
        Assert.Null(empty.UpdateTime);
        Assert.Equal("MO", set.Country);
        Assert.Equal([a, b], set.Primary);
        Assert.Equal([c], set.Secondary);
        Assert.NotNull(set.UpdateTime);
        Assert.Equal(set, read);
        Assert.Contains(listed.Tables, t => t.Country == "MO" && t.Primary.SequenceEqual([a, b]));
        Assert.Equal([c], replaced.Primary);
        Assert.True(replaced.Secondary.Count == 0, "setting a table replaces both lists");
    }

    [Fact]
    public async Task Explaining_a_destination_without_a_route_table_gives_no_route_and_says_why()
    {
        var decision = await _routes.ExplainRouteAsync(new ExplainRouteRequest { Destination = "+447400123456" });

        Assert.Equal("GB", decision.Country);
        Assert.Equal(("", "", RouteList.Unspecified, false), (decision.RouteId, decision.Connection, decision.List, decision.Probe));
        Assert.Empty(decision.Considered);
        Assert.Equal("no route table for GB", decision.Summary);
        Assert.DoesNotContain("7400123456", decision.Destination, StringComparison.Ordinal);
        Assert.EndsWith("3456", decision.Destination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_names_the_primary_and_after_the_primary_is_disabled_the_secondary_with_the_reason()
    {
        var (primary, secondary) = (NewRouteId("hk-a"), NewRouteId("hk-b"));
        await DefineAsync(primary, "HK");
        await DefineAsync(secondary, "HK");
        await _routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "HK", Primary = { primary }, Secondary = { secondary } });

        var before = await _routes.ExplainRouteAsync(new ExplainRouteRequest { Destination = "+85251234567" });
        await _routes.SetRouteOverrideAsync(new SetRouteOverrideRequest { RouteId = primary, Override = RouteOverride.Disable });
        var after = await _routes.ExplainRouteAsync(new ExplainRouteRequest { Destination = "+85251234567" });

        Assert.Equal((primary, $"smpp-{primary}", RouteList.Primary, false), (before.RouteId, before.Connection, before.List, before.Probe));
        Assert.Equal([(primary, RouteList.Primary, true), (secondary, RouteList.Secondary, false)], before.Considered.Select(r => (r.RouteId, r.List, r.Taken)));
        Assert.All(before.Considered, r => Assert.Equal((RouteState.Healthy, CircuitState.Closed, 1.0), (r.State, r.Circuit, r.Score)));
        Assert.StartsWith($"primary route '{primary}': healthy", before.Summary, StringComparison.Ordinal);
        Assert.Contains($"ranked after '{primary}'", before.Considered[1].Reason, StringComparison.Ordinal);
        Assert.Equal("+852****4567", before.Destination);

        Assert.Equal((secondary, RouteList.Secondary), (after.RouteId, after.List));
        var disabled = Assert.Single(after.Considered, r => r.RouteId == primary);
        Assert.False(disabled.Taken);
        Assert.Equal("disabled by an operator", disabled.Reason);
        Assert.True(after.Considered.Single(r => r.RouteId == secondary).Taken, "the secondary carries the message once no primary is usable");
    }

    [Fact]
    public async Task A_route_with_every_field_wrong_is_refused_naming_each_field()
    {
        var error = await RefusedAsync(() => _routes.UpsertRouteAsync(new UpsertRouteRequest
        {
            RouteId = "Not An Id", Connection = " ", Countries = { "XYZ" }, Prefixes = { "8525" }, Cost = "-1", Priority = 1001,
        }).ResponseAsync);
        var nowhere = await RefusedAsync(() => _routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = NewRouteId("nowhere"), Connection = "c" }).ResponseAsync);
        var cost = await RefusedAsync(() => _routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = NewRouteId("cost"), Connection = "c", Countries = { "HK" }, Cost = "1e3" }).ResponseAsync);
        var missing = await RefusedAsync(() => _routes.GetRouteAsync(new GetRouteRequest()).ResponseAsync);
        var unspecified = await RefusedAsync(() => _routes.SetRouteOverrideAsync(new SetRouteOverrideRequest { RouteId = NewRouteId("override") }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["route_id", "connection", "countries[0]", "prefixes[0]", "cost", "priority"], Fields(error));
        Assert.Equal(["countries"], Fields(nowhere));
        Assert.Equal(["cost"], Fields(cost));
        Assert.Equal(["route_id"], Fields(missing));
        Assert.Equal(["override"], Fields(unspecified));
    }

    [Fact]
    public async Task A_bad_route_table_or_destination_is_refused_naming_the_field()
    {
        var known = NewRouteId("known");
        await DefineAsync(known, "TW");
        var unknown = NewRouteId("undefined");

        var empty = await RefusedAsync(() => _routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "Taiwan" }).ResponseAsync);
        var repeated = await RefusedAsync(() => _routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "TW", Primary = { known }, Secondary = { known, "Bad Id" } }).ResponseAsync);
        var undefined = await RefusedAsync(() => _routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "TW", Primary = { known }, Secondary = { unknown } }).ResponseAsync);
        var country = await RefusedAsync(() => _routes.GetRouteTableAsync(new GetRouteTableRequest { Country = "T" }).ResponseAsync);
        var destination = await RefusedAsync(() => _routes.ExplainRouteAsync(new ExplainRouteRequest { Destination = "85251234567" }).ResponseAsync);
        var table = await _routes.GetRouteTableAsync(new GetRouteTableRequest { Country = "TW" });

        Assert.Equal(["country", "primary"], Fields(empty));
        Assert.Equal(["secondary[0]", "secondary[1]"], Fields(repeated));
        Assert.Equal(StatusCode.InvalidArgument, undefined.StatusCode);
        Assert.Equal(["secondary"], Fields(undefined));
        Assert.Contains(unknown, undefined.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["country"], Fields(country));
        Assert.Equal(["destination"], Fields(destination));
        Assert.DoesNotContain("51234567", destination.Status.Detail, StringComparison.Ordinal);
        Assert.True(table.Primary.Count == 0, "a refused table is not stored");
    }

    [Fact]
    public async Task Poolctl_routes_set_show_list_override_and_tables()
    {
        var (a, b) = (NewRouteId("sg-a"), NewRouteId("sg-b"));

        var set = await PoolCtlRunner.RunAsync(fixture, ["--json", "routes", "set", a, "--connection", "smpp-singtel", "--country", "sg", "--prefix", "+658,+659", "--cost", "0.01", "--priority", "5"]);
        var setB = await PoolCtlRunner.RunAsync(fixture, ["routes", "set", b, "--connection", "smpp-starhub", "-c", "SG", "--disabled"]);
        var show = await PoolCtlRunner.RunAsync(fixture, ["routes", "show", a]);
        var list = await PoolCtlRunner.RunAsync(fixture, ["routes", "list"]);
        var listJson = await PoolCtlRunner.RunAsync(fixture, ["--json", "routes", "list"]);
        var drained = await PoolCtlRunner.RunAsync(fixture, ["--json", "routes", "override", a, "drain"]);
        var noTable = await PoolCtlRunner.RunAsync(fixture, ["routes", "table", "SG"]);
        var table = await PoolCtlRunner.RunAsync(fixture, ["--json", "routes", "table", "sg", "--primary", a, "--secondary", b]);
        var shownTable = await PoolCtlRunner.RunAsync(fixture, ["routes", "table", "SG"]);
        var tables = await PoolCtlRunner.RunAsync(fixture, ["routes", "tables"]);

        Assert.Equal((0, ""), (set.Exit, set.Err));
        Assert.Equal(("smpp-singtel", "0.01", 5), (set.Json.GetProperty("connection").GetString(), set.Json.GetProperty("cost").GetString(), set.Json.GetProperty("priority").GetInt32()));
        Assert.Equal(["+658", "+659"], set.Json.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0, setB.Exit);
        Assert.Matches(@"enabled\s*│\s*no", setB.Out);
        Assert.Equal(0, show.Exit);
        foreach (var row in new[] { "connection", "smpp-singtel", "state", "healthy", "circuit", "closed", "score", "1.00", "no traffic yet", "submits", "receipts" })
        {
            Assert.Contains(row, show.Out, StringComparison.Ordinal);
        }

        Assert.Matches($@"{a}\s*│\s*smpp-singtel\s*│\s*SG\s*│\s*\+658,\+659\s*│\s*0.01\s*│\s*5\s*│\s*yes\s*│\s*none\s*│\s*healthy\s*│\s*closed\s*│\s*1.00", list.Out);
        Assert.Contains(listJson.JsonLines, line => line.GetProperty("routeId").GetString() == b && !line.GetProperty("enabled").GetBoolean());
        Assert.Equal("ROUTE_OVERRIDE_DRAIN", drained.Json.GetProperty("override").GetString());
        Assert.Equal(0, noTable.Exit);
        Assert.Contains("none (no table: nothing is routed)", noTable.Out, StringComparison.Ordinal);
        Assert.Equal((0, "SG"), (table.Exit, table.Json.GetProperty("country").GetString()));
        Assert.Matches($@"primary\s*│\s*{a}", shownTable.Out);
        Assert.Matches($@"secondary\s*│\s*{b}", shownTable.Out);
        Assert.Matches($@"SG\s*│\s*{a}\s*│\s*{b}", tables.Out);
    }

    [Fact]
    public async Task Poolctl_routes_explain_prints_the_chosen_route_and_why_each_route_was_or_was_not_taken()
    {
        var (primary, secondary) = (NewRouteId("my-a"), NewRouteId("my-b"));
        await PoolCtlRunner.RunAsync(fixture, ["routes", "set", primary, "--connection", "smpp-maxis", "-c", "MY"]);
        await PoolCtlRunner.RunAsync(fixture, ["routes", "set", secondary, "--connection", "smpp-celcom", "-c", "MY"]);
        await PoolCtlRunner.RunAsync(fixture, ["routes", "table", "MY", "--primary", primary, "--secondary", secondary]);
        await PoolCtlRunner.RunAsync(fixture, ["routes", "override", primary, "disable"]);

        var explained = await PoolCtlRunner.RunAsync(fixture, ["routes", "explain", "+60123456789"]);
        var json = await PoolCtlRunner.RunAsync(fixture, ["--json", "routes", "explain", "+60123456789"]);
        var noRoute = await PoolCtlRunner.RunAsync(fixture, ["routes", "explain", "+61412345678"]);

        Assert.Equal((0, ""), (explained.Exit, explained.Err));
        Assert.Contains($"route: {secondary} (secondary list, connection smpp-celcom)", explained.Out, StringComparison.Ordinal);
        Assert.Contains($"why: secondary route '{secondary}'", explained.Out, StringComparison.Ordinal);
        Assert.Matches($@"{primary}\s*│\s*primary\s*│\s*healthy\s*│\s*closed\s*│\s*1.00\s*│\s*│\s*disabled by an operator", explained.Out);
        Assert.Matches($@"{secondary}\s*│\s*secondary\s*│\s*healthy\s*│\s*closed\s*│\s*1.00\s*│\s*yes\s*│\s*healthy, score 1.00", explained.Out);
        Assert.DoesNotContain("123456789", explained.Out, StringComparison.Ordinal);
        Assert.Equal(secondary, json.Json.GetProperty("routeId").GetString());
        Assert.Equal(2, json.Json.GetProperty("considered").GetArrayLength());
        Assert.Equal(ExitCodes.Failed, noRoute.Exit);
        Assert.Contains("route: none", noRoute.Out, StringComparison.Ordinal);
        Assert.Contains("why: no route table for AU", noRoute.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poolctl_routes_errors_exit_with_the_code_of_their_cause()
    {
        var tenant = $"rt-{Guid.NewGuid():n}"[..12];
        var tenants = new Tenants.TenantsClient(fixture.Admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        var tenantKey = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Label = "tests" })).Secret;

        var badPriority = await PoolCtlRunner.RunAsync(fixture, ["routes", "set", NewRouteId("x"), "--connection", "c", "-c", "HK", "--priority", "high"]);
        var badPrefix = await PoolCtlRunner.RunAsync(fixture, ["routes", "set", NewRouteId("x"), "--connection", "c", "--prefix", "8525"]);
        var unknown = await PoolCtlRunner.RunAsync(fixture, ["routes", "show", NewRouteId("nope")]);
        var badOverride = await PoolCtlRunner.RunAsync(fixture, ["routes", "override", NewRouteId("x"), "pause"]);
        var secondaryOnly = await PoolCtlRunner.RunAsync(fixture, ["routes", "table", "HK", "--secondary", "r1"]);
        var undefinedRoute = await PoolCtlRunner.RunAsync(fixture, ["routes", "table", "PH", "--primary", NewRouteId("ghost")]);
        var badDestination = await PoolCtlRunner.RunAsync(fixture, ["routes", "explain", "12345"]);
        var asTenant = await PoolCtlRunner.RunAsAsync(fixture, tenantKey, ["routes", "list"]);

        Assert.Equal(ExitCodes.Usage, badPriority.Exit);
        Assert.Contains("--priority 'high' is not a whole number", badPriority.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badPrefix.Exit);
        Assert.Contains("prefixes[0]:", badPrefix.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.Exit);
        Assert.Equal(ExitCodes.Usage, badOverride.Exit);
        Assert.Equal(ExitCodes.Usage, secondaryOnly.Exit);
        Assert.Contains("--primary is required", secondaryOnly.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, undefinedRoute.Exit);
        Assert.Contains("primary", undefinedRoute.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badDestination.Exit);
        Assert.Contains("destination", badDestination.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotAllowed, asTenant.Exit);
        Assert.Contains("PermissionDenied", asTenant.Err, StringComparison.Ordinal);
    }
}
