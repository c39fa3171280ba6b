namespace Pool.Contracts.Tenants;

/// <summary>What an API key may do. Values are persisted as text ("tenant", "admin").</summary>
[GenerateSerializer, Alias("pool.KeyScope")]
public enum KeyScope
{
    Tenant = 0,
    Admin = 1,
}

[GenerateSerializer, Immutable, Alias("pool.TenantInfo")]
public sealed record TenantInfo([property: Id(0)] string TenantId, [property: Id(1)] string Name, [property: Id(2)] DateTimeOffset CreatedAt)
{
    [Id(3)]
    public TenantLimits Limits { get; init; } = TenantLimits.Default;
}

/// <summary>An API key as stored: never the key itself, only its hash.</summary>
[GenerateSerializer, Immutable, Alias("pool.ApiKeyRecord")]
public sealed record ApiKeyRecord(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] KeyScope Scope,
    [property: Id(3)] string? Label,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? RevokedAt,
    [property: Id(6)] byte[] SecretHash)
{
    /// <summary>The tenant's request rate limit, carried with the key so authentication needs one lookup.</summary>
    [Id(7)]
    public int RequestsPerSecond { get; init; } = TenantLimits.Default.RequestsPerSecond;
}

/// <summary>A freshly issued key: its record and the whole key, shown once.</summary>
[GenerateSerializer, Immutable, Alias("pool.IssuedApiKey")]
public sealed record IssuedApiKey([property: Id(0)] ApiKeyRecord Record, [property: Id(1)] string Key);

/// <summary>Tenants and API keys (a stateless worker over the tenants tables).</summary>
[Alias("pool.ITenantDirectoryGrain")]
public interface ITenantDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("CreateTenant")]
    Task<TenantInfo> CreateTenantAsync(string tenantId, string name);

    [Alias("ListTenants")]
    Task<IReadOnlyList<TenantInfo>> ListTenantsAsync();

    /// <summary>NotFound for an unknown tenant.</summary>
    [Alias("IssueKey")]
    Task<IssuedApiKey> IssueKeyAsync(string tenantId, KeyScope scope, string? label);

    [Alias("ListKeys")]
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId);

    /// <summary>NotFound for an unknown key; revoking twice keeps the first revocation time.</summary>
    [Alias("RevokeKey")]
    Task<ApiKeyRecord> RevokeKeyAsync(string keyId);

    /// <summary>The key's record (for authentication), or null when there is no such key.</summary>
    [Alias("FindKey")]
    Task<ApiKeyRecord?> FindKeyAsync(string keyId);

    /// <summary>Replaces a tenant's limits; NotFound for an unknown tenant.</summary>
    [Alias("SetLimits")]
    Task<TenantInfo> SetLimitsAsync(string tenantId, TenantLimits limits);

    [Alias("GetTenant")]
    Task<TenantInfo> GetTenantAsync(string tenantId);
}
