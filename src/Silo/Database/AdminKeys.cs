using Npgsql;
using Pool.Contracts.Tenants;
using Pool.Grains.Tenants;

namespace Pool.Silo.Database;

/// <summary>Bootstrap: the operators' tenant and an admin-scope key, created directly in the database.</summary>
public static class AdminKeys
{
    public const string OperatorsTenant = "operators";

    /// <summary>Creates tenant "operators" if needed and a new admin key for it; returns the whole key (shown once).</summary>
    public static async Task<string> CreateAsync(string connectionString, string label = "bootstrap", CancellationToken cancellationToken = default)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new TenantStore(dataSource);
        await store.CreateTenantAsync(OperatorsTenant, "Operators", cancellationToken);
        var (keyId, key) = ApiKeys.Generate();
        await store.InsertKeyAsync(keyId, OperatorsTenant, KeyScope.Admin, label, ApiKeys.Hash(key), cancellationToken);
        return key;
    }
}
