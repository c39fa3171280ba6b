using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Tenants;

namespace Pool.Grains.Tenants;

/// <summary>The tenants and api_keys tables.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    private const string KeyColumns = "key_id, tenant_id, scope, label, created_at, revoked_at, secret_hash";

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
        await using var command = dataSource.CreateCommand("SELECT tenant_id, name, created_at FROM tenants WHERE tenant_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        var tenants = await ReadTenantsAsync(command, cancellationToken);
        return tenants.Count == 0 ? null : tenants[0];
    }

    public async Task<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT tenant_id, name, created_at FROM tenants ORDER BY tenant_id");
        return await ReadTenantsAsync(command, cancellationToken);
    }

    public async Task<ApiKeyRecord> InsertKeyAsync(string keyId, string tenantId, KeyScope scope, string? label, byte[] secretHash, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO api_keys (key_id, tenant_id, scope, label, secret_hash) VALUES ($1, $2, $3, $4, $5) RETURNING {KeyColumns}");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ScopeName(scope) });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = label, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
        return (await ReadKeysAsync(command, cancellationToken))[0];
    }

    public async Task<ApiKeyRecord?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {KeyColumns} FROM api_keys WHERE key_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        var keys = await ReadKeysAsync(command, cancellationToken);
        return keys.Count == 0 ? null : keys[0];
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {KeyColumns} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, key_id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        return await ReadKeysAsync(command, cancellationToken);
    }

    /// <summary>Revokes the key (keeping a first revocation time); null when there is no such key.</summary>
    public async Task<ApiKeyRecord?> RevokeKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1 RETURNING {KeyColumns}");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        var keys = await ReadKeysAsync(command, cancellationToken);
        return keys.Count == 0 ? null : keys[0];
    }

    private static string ScopeName(KeyScope scope) => scope == KeyScope.Admin ? "admin" : "tenant";

    private static async Task<IReadOnlyList<TenantInfo>> ReadTenantsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var tenants = new List<TenantInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(new TenantInfo(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
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
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<byte[]>(6)));
        }

        return keys;
    }
}
