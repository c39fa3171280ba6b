using Npgsql;
using Pool.Contracts.Audit;
using Pool.Contracts.Tenants;
using Pool.Grains.Tenants;

namespace Pool.Silo.Database;

/// <summary>Bootstrap: the operators' tenant and an admin key, created directly in the database.</summary>
public static class AdminKeys
{
    public const string OperatorsTenant = "operators";

    /// <summary>
    /// The operators' limits when the tenant is created: tooling imports numbers in bursts and lists a lot,
    /// so their rate and lease quota are far above a client tenant's defaults (operators can change them).
    /// </summary>
    public static TenantLimits OperatorLimits { get; } = TenantLimits.Default with { RequestsPerSecond = 10_000, MaxActiveLeases = 100_000 };

    /// <summary>Creates tenant "operators" if needed and a new admin key for it; returns the whole key (shown once).</summary>
    public static async Task<string> CreateAsync(string connectionString, string label = "bootstrap", CancellationToken cancellationToken = default)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new TenantStore(dataSource);
        var operators = await store.CreateTenantAsync(OperatorsTenant, "Operators", AuditActor.System, cancellationToken);
        if (operators.Limits == TenantLimits.Default)
        {
            await store.SetLimitsAsync(OperatorsTenant, OperatorLimits, AuditActor.System, cancellationToken);
        }

        var (keyId, key) = ApiKeys.Generate();
        await store.InsertKeyAsync(keyId, OperatorsTenant, new ApiKeyTerms(KeyRole.Admin, label, null, []), ApiKeys.Hash(key), AuditActor.System, cancellationToken);
        return key;
    }
}
