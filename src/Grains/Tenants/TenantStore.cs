using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Tenants;

namespace Pool.Grains.Tenants;

/// <summary>The tenants and api_keys tables.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    private const string KeyColumns =
        "k.key_id, k.tenant_id, k.role, k.label, k.created_at, k.revoked_at, k.secret_hash, t.requests_per_second, k.expires_at, k.allowed_cidrs::text[], k.rotated_from";
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

    public async Task<ApiKeyRecord> InsertKeyAsync(string keyId, string tenantId, ApiKeyTerms terms, byte[] secretHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        await using var command = dataSource.CreateCommand(
            "WITH k AS (INSERT INTO api_keys (key_id, tenant_id, role, label, secret_hash, expires_at, allowed_cidrs) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7::cidr[]) RETURNING *) " +
            $"SELECT {KeyColumns} FROM k JOIN tenants t USING (tenant_id)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = KeyRoles.Name(terms.Role) });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = terms.Label, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)terms.ExpiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. terms.AllowedCidrs], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return (await ReadKeysAsync(command, cancellationToken))[0];
    }

    /// <summary>
    /// Rotation in one statement: the live key <paramref name="keyId"/> gets an expiry of at most now +
    /// <paramref name="overlap"/>, and a new key <paramref name="newKeyId"/> copies its tenant, role, label
    /// and allowlist. Null (and nothing changed) when there is no such live key.
    /// </summary>
    public async Task<(ApiKeyRecord Issued, ApiKeyRecord Previous)?> RotateKeyAsync(
        string keyId, string newKeyId, byte[] secretHash, TimeSpan overlap, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "WITH old AS (UPDATE api_keys SET expires_at = LEAST(expires_at, now() + make_interval(secs => $4)) " +
            "  WHERE key_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) RETURNING *), " +
            "k AS (INSERT INTO api_keys (key_id, tenant_id, role, label, secret_hash, expires_at, allowed_cidrs, rotated_from) " +
            "  SELECT $2, tenant_id, role, label, $3, $5, allowed_cidrs, key_id FROM old RETURNING *) " +
            $"SELECT {KeyColumns} FROM k JOIN tenants t USING (tenant_id) " +
            $"UNION ALL SELECT {KeyColumns} FROM old k JOIN tenants t USING (tenant_id)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = newKeyId });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = overlap.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)expiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var keys = await ReadKeysAsync(command, cancellationToken);
        var issued = keys.FirstOrDefault(k => k.KeyId == newKeyId);
        var previous = keys.FirstOrDefault(k => k.KeyId == keyId);
        return issued is null || previous is null ? null : (issued, previous);
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
            var role = reader.GetString(2);
            keys.Add(new ApiKeyRecord(
                reader.GetString(0), reader.GetString(1), KeyRoles.TryParse(role, out var parsed) ? parsed : throw new InvalidOperationException($"api_keys holds an unknown role '{role}'"),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<byte[]>(6))
            {
                RequestsPerSecond = reader.GetInt32(7),
                ExpiresAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                AllowedCidrs = reader.GetFieldValue<string[]>(9),
                RotatedFrom = reader.IsDBNull(10) ? null : reader.GetString(10),
            });
        }

        return keys;
    }
}
