using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Tenants;

namespace Pool.Grains.Tenants;

/// <summary>The tenants and api_keys tables.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    private const string KeyColumns = "k.key_id, k.tenant_id, k.scope, k.label, k.created_at, k.revoked_at, k.secret_hash, t.requests_per_second";
    private const string TenantColumns =
        "tenant_id, name, created_at, requests_per_second, max_active_leases, scan_window, scan_min_leases, scan_silent_percent, scan_cooloff_seconds";

    /// <summary>Creates the tenant unless it exists; returns it as stored.</summary>
    public async Task<TenantInfo> CreateTenantAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        await using (var insert = dataSource.CreateCommand("INSERT INTO tenants (tenant_id, name) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return (await FindTenantAsync(tenantId, cancellationToken))!;
    }

    public async Task<TenantInfo?> FindTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TenantColumns} FROM tenants WHERE tenant_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        var tenants = await ReadTenantsAsync(command, cancellationToken);
        return tenants.Count == 0 ? null : tenants[0];
    }

    public async Task<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TenantColumns} FROM tenants ORDER BY tenant_id");
        return await ReadTenantsAsync(command, cancellationToken);
    }

    public async Task<ApiKeyRecord> InsertKeyAsync(string keyId, string tenantId, KeyScope scope, string? label, byte[] secretHash, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "WITH k AS (INSERT INTO api_keys (key_id, tenant_id, scope, label, secret_hash) VALUES ($1, $2, $3, $4, $5) RETURNING *) " +
            $"SELECT {KeyColumns} FROM k JOIN tenants t USING (tenant_id)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ScopeName(scope) });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = label, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
        return (await ReadKeysAsync(command, cancellationToken))[0];
    }

    public async Task<ApiKeyRecord?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {KeyColumns} FROM api_keys k JOIN tenants t USING (tenant_id) WHERE k.key_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        var keys = await ReadKeysAsync(command, cancellationToken);
        return keys.Count == 0 ? null : keys[0];
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {KeyColumns} FROM api_keys k JOIN tenants t USING (tenant_id) WHERE k.tenant_id = $1 ORDER BY k.created_at, k.key_id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        return await ReadKeysAsync(command, cancellationToken);
    }

    /// <summary>Revokes the key (keeping a first revocation time); null when there is no such key.</summary>
    public async Task<ApiKeyRecord?> RevokeKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "WITH k AS (UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1 RETURNING *) " +
            $"SELECT {KeyColumns} FROM k JOIN tenants t USING (tenant_id)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        var keys = await ReadKeysAsync(command, cancellationToken);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <summary>Replaces the tenant's limits; null when there is no such tenant.</summary>
    public async Task<TenantInfo?> SetLimitsAsync(string tenantId, TenantLimits limits, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE tenants SET requests_per_second = $2, max_active_leases = $3, scan_window = $4, scan_min_leases = $5, " +
            $"scan_silent_percent = $6, scan_cooloff_seconds = $7 WHERE tenant_id = $1 RETURNING {TenantColumns}");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.RequestsPerSecond });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.MaxActiveLeases });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanWindow });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanMinLeases });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanSilentPercent });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)limits.ScanCooloff.TotalSeconds });
        var tenants = await ReadTenantsAsync(command, cancellationToken);
        return tenants.Count == 0 ? null : tenants[0];
    }

    /// <summary>The tenant's most recent ended leases, newest first: whether each received any SMS.</summary>
    public async Task<(int Active, IReadOnlyList<bool> RecentReceivedSms)> ReadLeaseHistoryAsync(string tenantId, int window, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*)::int FROM leases WHERE tenant_id = $1 AND status = 'active'), " +
            "ARRAY(SELECT messages > 0 FROM leases WHERE tenant_id = $1 AND status = 'ended' ORDER BY ended_at DESC LIMIT $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = window });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetFieldValue<bool[]>(1));
    }

    private static string ScopeName(KeyScope scope) => scope == KeyScope.Admin ? "admin" : "tenant";

    private static async Task<IReadOnlyList<TenantInfo>> ReadTenantsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var tenants = new List<TenantInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(new TenantInfo(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            {
                Limits = new TenantLimits
                {
                    RequestsPerSecond = reader.GetInt32(3),
                    MaxActiveLeases = reader.GetInt32(4),
                    ScanWindow = reader.GetInt32(5),
                    ScanMinLeases = reader.GetInt32(6),
                    ScanSilentPercent = reader.GetInt32(7),
                    ScanCooloff = TimeSpan.FromSeconds(reader.GetInt32(8)),
                },
            });
        }

        return tenants;
    }

    private static async Task<IReadOnlyList<ApiKeyRecord>> ReadKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2) == "admin" ? KeyScope.Admin : KeyScope.Tenant,
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<byte[]>(6))
            {
                RequestsPerSecond = reader.GetInt32(7),
            });
        }

        return keys;
    }
}
