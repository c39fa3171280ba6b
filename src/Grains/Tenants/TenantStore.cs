using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Audit;
using Pool.Grains.Audit;
using Pool.Contracts.Tenants;

namespace Pool.Grains.Tenants;

/// <summary>The tenants and api_keys tables.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    private const string KeyColumns = "k.key_id, k.tenant_id, k.scope, k.label, k.created_at, k.revoked_at, k.secret_hash, t.requests_per_second";
    private const string TenantColumns =
        "tenant_id, name, created_at, requests_per_second, max_active_leases, scan_window, scan_min_leases, scan_silent_percent, scan_cooloff_seconds";

    /// <summary>Creates the tenant unless it exists (audited as <paramref name="actor"/>'s "tenant.create" when new); returns it as stored.</summary>
    public async Task<TenantInfo> CreateTenantAsync(string tenantId, string name, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var insert = new NpgsqlCommand("INSERT INTO tenants (tenant_id, name) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            var created = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
            return (created, created ? new AuditRecord(actor, "tenant.create", $"tenant/{tenantId}", null, AuditRows.Json(new { name })) : null);
        }, cancellationToken);

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

    /// <summary>Stores a new key, audited as <paramref name="actor"/>'s "key.issue" (its id, tenant, scope and label; never its secret).</summary>
    public Task<ApiKeyRecord> InsertKeyAsync(string keyId, string tenantId, KeyScope scope, string? label, byte[] secretHash, AuditActor actor, CancellationToken cancellationToken = default) =>
        AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            var key = await InsertKeyAsync(connection, transaction, keyId, tenantId, scope, label, secretHash, cancellationToken);
            var after = AuditRows.Json(new { keyId, tenant = tenantId, scope = ScopeName(scope), label });
            return (key, (AuditRecord?)new AuditRecord(actor, "key.issue", $"key/{keyId}", null, after));
        }, cancellationToken);

    private static async Task<ApiKeyRecord> InsertKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, string tenantId, KeyScope scope, string? label, byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "WITH k AS (INSERT INTO api_keys (key_id, tenant_id, scope, label, secret_hash) VALUES ($1, $2, $3, $4, $5) RETURNING *) " +
            $"SELECT {KeyColumns} FROM k JOIN tenants t USING (tenant_id)", connection, transaction);
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

    /// <summary>
    /// Revokes the key (keeping a first revocation time); null when there is no such key. A first
    /// revocation is audited as <paramref name="actor"/>'s "key.revoke".
    /// </summary>
    public Task<ApiKeyRecord?> RevokeKeyAsync(string keyId, AuditActor actor, CancellationToken cancellationToken = default) =>
        AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                "WITH old AS (SELECT key_id, revoked_at FROM api_keys WHERE key_id = $1 FOR UPDATE), " +
                "k AS (UPDATE api_keys SET revoked_at = coalesce(api_keys.revoked_at, now()) FROM old WHERE api_keys.key_id = old.key_id RETURNING api_keys.*, old.revoked_at IS NULL AS first) " +
                $"SELECT {KeyColumns}, k.first FROM k JOIN tenants t USING (tenant_id)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
            var keys = await ReadKeysAsync(command, withFirst: true, cancellationToken);
            if (keys.Count == 0)
            {
                return ((ApiKeyRecord?)null, (AuditRecord?)null);
            }

            var (key, first) = keys[0];
            var audit = first
                ? new AuditRecord(actor, "key.revoke", $"key/{keyId}", AuditRows.Json(new { revoked = false }), AuditRows.Json(new { revoked = true, tenant = key.TenantId }))
                : null;
            return (key, audit);
        }, cancellationToken);

    /// <summary>Replaces the tenant's limits, audited as <paramref name="actor"/>'s "tenant.limits.update" (the limits that changed); null when there is no such tenant.</summary>
    public Task<TenantInfo?> SetLimitsAsync(string tenantId, TenantLimits limits, AuditActor actor, CancellationToken cancellationToken = default) =>
        AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var read = new NpgsqlCommand($"SELECT {TenantColumns} FROM tenants WHERE tenant_id = $1 FOR UPDATE", connection, transaction);
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
            var old = await ReadTenantsAsync(read, cancellationToken);
            if (old.Count == 0)
            {
                return ((TenantInfo?)null, (AuditRecord?)null);
            }

            var updated = await SetLimitsAsync(connection, transaction, tenantId, limits, cancellationToken);
            var (before, after) = AuditDiff.Of(LimitFields(old[0].Limits), LimitFields(updated.Limits));
            return (updated, before == after ? null : new AuditRecord(actor, "tenant.limits.update", $"tenant/{tenantId}", before, after));
        }, cancellationToken);

    private static object LimitFields(TenantLimits l) => new
    {
        l.RequestsPerSecond, l.MaxActiveLeases, l.ScanWindow, l.ScanMinLeases, l.ScanSilentPercent, ScanCooloffSeconds = (int)l.ScanCooloff.TotalSeconds,
    };

    private static async Task<TenantInfo> SetLimitsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, TenantLimits limits, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE tenants SET requests_per_second = $2, max_active_leases = $3, scan_window = $4, scan_min_leases = $5, " +
            $"scan_silent_percent = $6, scan_cooloff_seconds = $7 WHERE tenant_id = $1 RETURNING {TenantColumns}", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.RequestsPerSecond });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.MaxActiveLeases });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanWindow });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanMinLeases });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanSilentPercent });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)limits.ScanCooloff.TotalSeconds });
        return (await ReadTenantsAsync(command, cancellationToken))[0];
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

    private static async Task<IReadOnlyList<ApiKeyRecord>> ReadKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        [.. (await ReadKeysAsync(command, withFirst: false, cancellationToken)).Select(k => k.Key)];

    /// <summary>The keys read by <paramref name="command"/>, with its extra last column (whether this revocation was the first) when <paramref name="withFirst"/>.</summary>
    private static async Task<IReadOnlyList<(ApiKeyRecord Key, bool First)>> ReadKeysAsync(NpgsqlCommand command, bool withFirst, CancellationToken cancellationToken)
    {
        var keys = new List<(ApiKeyRecord, bool)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add((new ApiKeyRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2) == "admin" ? KeyScope.Admin : KeyScope.Tenant,
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<byte[]>(6))
            {
                RequestsPerSecond = reader.GetInt32(7),
            }, withFirst && reader.GetBoolean(8)));
        }

        return keys;
    }
}
