namespace Pool.Contracts.Tenants;

/// <summary>
/// What an API key may do (the authorization policy of the API holds the method-by-method table).
/// Persisted as text by <see cref="KeyRoles.Name"/>: "admin", "operator", "auditor", "tenant", "tenant-readonly".
/// </summary>
[GenerateSerializer, Alias("pool.KeyRole")]
public enum KeyRole
{
    /// <summary>A tenant's own leases, messages, verifications and webhooks.</summary>
    Tenant = 0,

    /// <summary>Everything.</summary>
    Admin = 1,

    /// <summary>Pools, numbers, routes, the simulator, carrier intake and status; not tenants or keys.</summary>
    Operator = 2,

    /// <summary>Every read-only call, the audit log included; no change of anything.</summary>
    Auditor = 3,

    /// <summary>A tenant's reads and watches only: no lease, release or other change.</summary>
    TenantReadonly = 4,
}

/// <summary>The text names of <see cref="KeyRole"/>, as stored, printed and audited.</summary>
public static class KeyRoles
{
    public static IReadOnlyList<KeyRole> All { get; } = [KeyRole.Admin, KeyRole.Operator, KeyRole.Auditor, KeyRole.Tenant, KeyRole.TenantReadonly];

    public static string Name(KeyRole role) => role switch
    {
        KeyRole.Admin => "admin",
        KeyRole.Operator => "operator",
        KeyRole.Auditor => "auditor",
        KeyRole.Tenant => "tenant",
        KeyRole.TenantReadonly => "tenant-readonly",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a key role"),
    };

    public static bool TryParse(string? name, out KeyRole role)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
