using System.Text.Json;
using Grpc.Core;
using Pool.Cli;
using Pool.Contracts.Tenants;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// The audit log through poolctl audit and the Audit RPC: operators' changes leave one row each with
/// who, what, before/after, peer and correlation id; filters narrow the log; a change whose audit row
/// cannot be written does not happen; no full phone number is ever stored.
/// </summary>
[Collection(PoolCtlTestGroup.Name)]
public sealed class PoolCtlAuditTests(PoolFixture fixture)
{
    // Audit rows whose target or after-state holds this fail to insert (a trigger the tests create): the change must not happen.
    private const string FailMarker = "auditfail";

    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    private string AdminKeyId => ApiKeys.TryGetKeyId(fixture.AdminKey, out var keyId) ? keyId : throw new InvalidOperationException("the fixture's admin key has no key id");

    [Fact]
    public async Task A_pool_change_is_audited_with_who_what_before_after_peer_and_correlation_id()
    {
        var (pool, _) = PoolFixture.NewPool(0);
        var correlation = $"corr-{Guid.NewGuid():n}";
        var pools = new Pools.PoolsClient(fixture.Admin);
        await pools.CreatePoolAsync(new CreatePoolRequest { Pool = pool, Country = "HK" }, headers: new Metadata { { "x-correlation-id", correlation } });
        Assert.Equal(0, (await RunAsync("pools", "policy", pool, "--max-uses", "7")).Exit);

        var audit = await RunAsync("--json", "audit", "--target", $"pool/{pool}");

        Assert.Equal((0, ""), (audit.Exit, audit.Err));
        var rows = audit.JsonLines;
        Assert.Equal(["pool.policy.update", "pool.create"], rows.Select(r => r.GetProperty("action").GetString()));
        var created = rows[1];
        Assert.Equal(correlation, created.GetProperty("correlationId").GetString());
        Assert.Equal((AdminKeyId, "admin", "operators"), (created.GetProperty("keyId").GetString(), created.GetProperty("role").GetString(), created.GetProperty("tenantId").GetString()));
        Assert.Equal("127.0.0.1", created.GetProperty("peerAddress").GetString());
        Assert.Equal("", created.GetProperty("beforeJson").GetString());
        Assert.Equal("HK", JsonDocument.Parse(created.GetProperty("afterJson").GetString()!).RootElement.GetProperty("country").GetString());

        var policy = rows[0];
        var before = JsonDocument.Parse(policy.GetProperty("beforeJson").GetString()!).RootElement;
        var after = JsonDocument.Parse(policy.GetProperty("afterJson").GetString()!).RootElement;
        Assert.Equal(100, before.GetProperty("maxUses").GetInt32());
        Assert.Equal(7, after.GetProperty("maxUses").GetInt32());
        Assert.False(after.TryGetProperty("cooldown", out _), "only the fields that changed are in the row");
    }

    [Fact]
    public async Task Audit_filters_by_actor_tenant_action_target_and_time_and_prints_a_table()
    {
        var tenant = $"aud{Guid.NewGuid():n}"[..12];
        var tenants = new Tenants.TenantsClient(fixture.Admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = "Audited Ltd" });
        var issued = await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Label = "audit" });
        await tenants.UpdateTenantLimitsAsync(new UpdateTenantLimitsRequest { Tenant = tenant, Limits = new V1.TenantLimits { MaxActiveLeases = 3 } });
        await tenants.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = issued.Key.KeyId });

        var byTarget = (await RunAsync("--json", "audit", "--target", $"tenant/{tenant}")).JsonLines;
        var byAction = (await RunAsync("--json", "audit", "--action", "key.", "--target", $"key/{issued.Key.KeyId}")).JsonLines;
        var byActor = (await RunAsync("--json", "audit", "--actor", AdminKeyId, "--tenant", "operators", "--since", "10m", "--target", $"tenant/{tenant}")).JsonLines;
        var otherActor = (await RunAsync("--json", "audit", "--actor", "pool_000000000000", "--target", $"tenant/{tenant}")).JsonLines;
        var future = (await RunAsync("--json", "audit", "--since", DateTimeOffset.UtcNow.AddHours(1).ToString("O"), "--target", $"tenant/{tenant}")).JsonLines;
        var past = (await RunAsync("--json", "audit", "--until", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), "--target", $"tenant/{tenant}")).JsonLines;
        var table = await RunAsync("audit", "--target", $"tenant/{tenant}", "--limit", "1");

        Assert.Equal(["tenant.limits.update", "tenant.create"], byTarget.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(["key.revoke", "key.issue"], byAction.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(2, byActor.Count);
        Assert.Empty(otherActor);
        Assert.Empty(future);
        Assert.Empty(past);
        Assert.Equal(0, table.Exit);
        Assert.Contains("tenant.limits.update", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant.create", table.Out, StringComparison.Ordinal);
        var issue = byAction[1];
        Assert.DoesNotContain(issued.Secret, issue.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(issued.Key.KeyId, issue.GetProperty("afterJson").GetString(), StringComparison.Ordinal);
        var limits = JsonDocument.Parse(byTarget[0].GetProperty("afterJson").GetString()!).RootElement;
        Assert.Equal(3, limits.GetProperty("maxActiveLeases").GetInt32());
    }

    [Fact]
    public async Task Number_operations_are_audited_with_the_number_masked_and_no_full_number_anywhere_in_the_table()
    {
        var (pool, numbers) = PoolFixture.NewPool(3);
        var (other, _) = PoolFixture.NewPool(0);
        Assert.Equal(0, (await RunAsync("pools", "create", other, "-c", "HK")).Exit);
        var client = new Numbers.NumbersClient(fixture.Admin);
        await client.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        await client.WatchlistNumberAsync(new WatchlistNumberRequest { Number = numbers[0], Reason = $"suspicious {numbers[1]}" });
        await client.ReinstateNumberAsync(new ReinstateNumberRequest { Number = numbers[0] });
        await client.MoveNumberAsync(new MoveNumberRequest { Number = numbers[1], Pool = other });
        await client.RetireNumberAsync(new RetireNumberRequest { Number = numbers[2], Reason = "carrier took it back" });

        var added = (await RunAsync("--json", "audit", "--action", "number.add", "--target", $"pool/{pool}")).JsonLines;
        var changes = (await RunAsync("--json", "audit", "--action", "number.", "--target", "number/+852", "--since", "10m")).JsonLines;

        var import = Assert.Single(added);
        var counts = JsonDocument.Parse(import.GetProperty("afterJson").GetString()!).RootElement;
        Assert.Equal((3, 3), (counts.GetProperty("requested").GetInt32(), counts.GetProperty("added").GetInt32()));
        var actions = changes.Select(r => r.GetProperty("action").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "number.watchlist", "number.reinstate", "number.move", "number.retire" }, actions);
        Assert.All(changes, r => Assert.Contains("****", r.GetProperty("target").GetString(), StringComparison.Ordinal));

        await using var connection = fixture.Database.Connect();
        await using var dump = new Npgsql.NpgsqlCommand("SELECT coalesce(string_agg(a::text, E'\\n'), '') FROM audit a", connection);
        var everything = (string)(await dump.ExecuteScalarAsync())!;
        foreach (var number in numbers)
        {
            Assert.DoesNotContain(number, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(number.TrimStart('+'), everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_change_whose_audit_row_cannot_be_written_does_not_happen_and_the_call_fails()
    {
        await FailAuditInsertsAsync();
        var pool = $"{FailMarker}-{Guid.NewGuid():n}"[..20];
        var pools = new Pools.PoolsClient(fixture.Admin);
        var routes = new Routes.RoutesClient(fixture.Admin);
        var tenants = new Tenants.TenantsClient(fixture.Admin);

        // A change written with direct SQL (the pools table) …
        var create = await Assert.ThrowsAsync<RpcException>(() => pools.CreatePoolAsync(new CreatePoolRequest { Pool = pool, Country = "HK" }).ResponseAsync);
        // … one written as grain state (the route grain) …
        var upsert = await Assert.ThrowsAsync<RpcException>(() => routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = pool, Connection = "x", Countries = { "HK" } }).ResponseAsync);
        // … and a tenant.
        var tenant = await Assert.ThrowsAsync<RpcException>(() => tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = pool, Name = "x" }).ResponseAsync);

        Assert.All(new[] { create, upsert, tenant }, e => Assert.Equal(StatusCode.Unavailable, e.StatusCode));
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => pools.GetPoolAsync(new GetPoolRequest { Pool = pool }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => routes.GetRouteAsync(new GetRouteRequest { RouteId = pool }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => tenants.GetTenantAsync(new GetTenantRequest { Tenant = pool }).ResponseAsync)).StatusCode);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM audit WHERE target LIKE '%{FailMarker}%' OR after::text LIKE '%{FailMarker}%'"));

        // A number's change, written as the number grain's state with its audit row: refused with it.
        var number = $"+85269{Random.Shared.Next(0, 1_000_000):D6}";
        var numbers = new Numbers.NumbersClient(fixture.Admin);
        await numbers.AddNumbersAsync(new AddNumbersRequest { Pool = $"af-{Guid.NewGuid():n}"[..16], Country = "HK", Numbers = { number } });
        var watchlist = await Assert.ThrowsAsync<RpcException>(() => numbers.WatchlistNumberAsync(new WatchlistNumberRequest { Number = number, Reason = FailMarker }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, watchlist.StatusCode);
        Assert.Equal(NumberState.Available, (await numbers.GetNumberAsync(new GetNumberRequest { Number = number })).State);

        // The route grain, deactivated by the failed write, takes the same definition under another id: the failure was the audit row's alone.
        var fine = await routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = $"ok-{Guid.NewGuid():n}"[..20], Connection = "x", Countries = { "HK" } });
        Assert.Equal("x", fine.Connection);
    }

    [Fact]
    public async Task Invalid_filters_are_refused_naming_the_field_and_tenant_keys_may_not_read_the_log()
    {
        var audit = new Audit.AuditClient(fixture.Admin);
        async Task<string> FieldOf(ListAuditEventsRequest request)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => audit.ListAuditEventsAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            return error.Status.Detail;
        }

        Assert.Contains("page_size", await FieldOf(new ListAuditEventsRequest { PageSize = 1001 }), StringComparison.Ordinal);
        Assert.Contains("page_size", await FieldOf(new ListAuditEventsRequest { PageSize = -1 }), StringComparison.Ordinal);
        Assert.Contains("page_token", await FieldOf(new ListAuditEventsRequest { PageToken = "not-a-token" }), StringComparison.Ordinal);
        Assert.Contains("action", await FieldOf(new ListAuditEventsRequest { Action = "Pool Create" }), StringComparison.Ordinal);
        Assert.Contains("target", await FieldOf(new ListAuditEventsRequest { Target = new string('t', 257) }), StringComparison.Ordinal);
        Assert.Contains("key_id", await FieldOf(new ListAuditEventsRequest { KeyId = "a\u0001b" }), StringComparison.Ordinal);
        var now = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        Assert.Contains("to", await FieldOf(new ListAuditEventsRequest { From = now, To = now }), StringComparison.Ordinal);

        var badSince = await RunAsync("audit", "--since", "yesterday-ish");
        var badLimit = await RunAsync("audit", "--limit", "0");
        Assert.Equal(ExitCodes.Usage, badSince.Exit);
        Assert.Equal(ExitCodes.Usage, badLimit.Exit);

        var (tenantClient, tenantKey) = await fixture.NewTenantAsync("audt");
        var denied = await Assert.ThrowsAsync<RpcException>(() => new Audit.AuditClient(tenantClient).ListAuditEventsAsync(new ListAuditEventsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(ExitCodes.NotAllowed, (await PoolCtlRunner.RunAsAsync(fixture, tenantKey, ["audit"])).Exit);
    }

    [Fact]
    public async Task Pages_continue_with_the_token_without_repeating_or_skipping_a_row()
    {
        var (pool, _) = PoolFixture.NewPool(0);
        var pools = new Pools.PoolsClient(fixture.Admin);
        await pools.CreatePoolAsync(new CreatePoolRequest { Pool = pool, Country = "HK" });
        for (var uses = 1; uses <= 4; uses++)
        {
            await pools.UpdatePoolPolicyAsync(new UpdatePoolPolicyRequest { Pool = pool, Policy = new PoolPolicy { MaxUses = uses } });
        }

        var audit = new Audit.AuditClient(fixture.Admin);
        var seen = new List<long>();
        var request = new ListAuditEventsRequest { Target = $"pool/{pool}", PageSize = 2 };
        do
        {
            var page = await audit.ListAuditEventsAsync(request);
            Assert.True(page.Events.Count <= 2, "a page holds at most page_size rows");
            seen.AddRange(page.Events.Select(e => e.AuditId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.OrderByDescending(id => id), seen);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(5, (await RunAsync("--json", "audit", "--target", $"pool/{pool}", "--limit", "10")).JsonLines.Count);
    }

    private async Task FailAuditInsertsAsync() =>
        await fixture.Database.ExecuteAsync($"""
            CREATE OR REPLACE FUNCTION test_audit_fail() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit insert refused for the test'; END; $$;
            DROP TRIGGER IF EXISTS test_audit_fail ON audit;
            CREATE TRIGGER test_audit_fail BEFORE INSERT ON audit FOR EACH ROW
                WHEN (NEW.target LIKE '%{FailMarker}%' OR NEW.after::text LIKE '%{FailMarker}%')
                EXECUTE FUNCTION test_audit_fail();
            """);
}
