using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// Refused calls of existing keys leave rows in the audit table (action "auth.refused"), at most one
/// per key, rule and minute. These tests need the audit log grain (IAuditLogGrain's implementation,
/// from the audit branch): until it is merged they fail, and every refusal is still answered at once.
/// </summary>
public sealed class RefusalAuditTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private Tenants.TenantsClient Admin => new(fixture.Admin);

    private async Task<CreateApiKeyResponse> IssueAsync(Action<CreateApiKeyRequest> terms)
    {
        var tenant = $"ra-{Guid.NewGuid():n}"[..14];
        await Admin.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        var request = new CreateApiKeyRequest { Tenant = tenant };
        terms(request);
        return await Admin.CreateApiKeyAsync(request);
    }

    private static async Task<StatusCode> ListLeasesAsync(CallInvoker invoker)
    {
        try
        {
            await new Leases.LeasesClient(invoker).ListLeasesAsync(new ListLeasesRequest());
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    /// <summary>The auth.refused rows of a key: (role, tenant, peer, target, outcome).</summary>
    private async Task<IReadOnlyList<(string Role, string Tenant, string? Peer, string Target, string Outcome)>> RowsAsync(string keyId)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT role, tenant_id, peer_address, target, outcome FROM audit WHERE action = 'auth.refused' AND key_id = $1 ORDER BY audit_id", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        var rows = new List<(string, string, string?, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return rows;
    }

    private Task<IReadOnlyList<(string Role, string Tenant, string? Peer, string Target, string Outcome)>> RowsEventuallyAsync(string keyId, int count) =>
        Eventually.ReturnsAsync(() => RowsAsync(keyId), rows => rows.Count >= count, TimeSpan.FromSeconds(20), $"{count} auth.refused audit rows of key {keyId}");

    [Fact]
    public async Task Audit_log_grain_needed_an_allowlist_refusal_is_audited_once_per_key_rule_and_minute()
    {
        var issued = await IssueAsync(r => r.AllowedCidrs.Add("10.0.0.0/8"));

        var statuses = new List<StatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add(await ListLeasesAsync(fixture.As(issued.Secret)));
        }

        // A refusal under another rule of the same key, written after the first: once it is there, every earlier row is.
        await Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = issued.Key.KeyId });
        await Eventually.ReturnsAsync(() => ListLeasesAsync(fixture.As(issued.Secret)), s => s == StatusCode.Unauthenticated, TimeSpan.FromSeconds(20), "the revoked key to be refused");
        var rows = await RowsEventuallyAsync(issued.Key.KeyId, 2);

        Assert.All(statuses, status => Assert.Equal(StatusCode.PermissionDenied, status));
        Assert.Equal(2, rows.Count);
        var allowlist = rows[0];
        Assert.Equal(("tenant", issued.Key.Tenant, "127.0.0.1", "pool.v1.Leases/ListLeases"), (allowlist.Role, allowlist.Tenant, allowlist.Peer, allowlist.Target));
        Assert.Equal($"refused: address 127.0.0.1 is not in the allowlist of key {issued.Key.KeyId}", allowlist.Outcome);
        Assert.StartsWith($"refused: the API key {issued.Key.KeyId} was revoked at ", rows[1].Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_log_grain_needed_an_expired_key_refusal_is_audited_with_the_expiry()
    {
        var issued = await IssueAsync(r => r.ExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(2)));

        await Eventually.ReturnsAsync(() => ListLeasesAsync(fixture.As(issued.Secret)), s => s == StatusCode.Unauthenticated, TimeSpan.FromSeconds(20), "the key to expire");
        var rows = await RowsEventuallyAsync(issued.Key.KeyId, 1);

        var row = Assert.Single(rows);
        Assert.Equal("pool.v1.Leases/ListLeases", row.Target);
        Assert.Matches($@"^refused: the API key {issued.Key.KeyId} expired at \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", row.Outcome);
    }

    [Fact]
    public async Task Audit_log_grain_needed_a_role_refusal_is_audited_naming_the_role_and_method()
    {
        var issued = await IssueAsync(r => r.Role = ApiKeyRole.TenantReadonly);

        var status = await ListLeasesAsync(fixture.As(issued.Secret));
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Leases.LeasesClient(fixture.As(issued.Secret))
            .CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Service = "telegram" }).ResponseAsync);
        var rows = await RowsEventuallyAsync(issued.Key.KeyId, 1);

        Assert.Equal(StatusCode.OK, status);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var row = Assert.Single(rows);
        Assert.Equal(("tenant-readonly", "pool.v1.Leases/CreateLease"), (row.Role, row.Target));
        Assert.StartsWith("refused: role tenant-readonly may not call pool.v1.Leases/CreateLease: the rule 'tenant change'", row.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_answered_at_once_whether_or_not_its_audit_row_can_be_written()
    {
        var issued = await IssueAsync(r => r.AllowedCidrs.Add("10.0.0.0/8"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(StatusCode.PermissionDenied, await ListLeasesAsync(fixture.As(issued.Secret)));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"50 refusals took {clock.Elapsed}");
    }
}
