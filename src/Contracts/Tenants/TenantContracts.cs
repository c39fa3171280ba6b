namespace Pool.Contracts.Tenants;

[GenerateSerializer, Immutable, Alias("pool.TenantInfo")]
public sealed record TenantInfo([property: Id(0)] string TenantId, [property: Id(1)] string Name, [property: Id(2)] DateTimeOffset CreatedAt)
{
    [Id(3)]
    public TenantLimits Limits { get; init; } = TenantLimits.Default;
}

/// <summary>
/// An API key as stored: never the key itself, only its hash. Id 2 held the two-valued key scope of
/// earlier versions (replaced by <see cref="Role"/>); it is never reused.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.ApiKeyRecord")]
public sealed record ApiKeyRecord(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string TenantId,
    [property: Id(8)] KeyRole Role,
    [property: Id(3)] string? Label,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? RevokedAt,
    [property: Id(6)] byte[] SecretHash)
{
    /// <summary>The tenant's request rate limit, carried with the key so authentication needs one lookup.</summary>
    [Id(7)]
    public int RequestsPerSecond { get; init; } = TenantLimits.Default.RequestsPerSecond;

    /// <summary>When the key stops working (null: never, until revoked).</summary>
    [Id(9)]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The networks (CIDR, as PostgreSQL prints them: "10.0.0.0/8") calls with this key may come from; empty: any address.</summary>
    [Id(10)]
    public IReadOnlyList<string> AllowedCidrs { get; init; } = [];

    /// <summary>The key this one replaced in a rotation, if any.</summary>
    [Id(11)]
    public string? RotatedFrom { get; init; }
}

/// <summary>What a new key may do and for how long: its role, label, expiry and address allowlist (CIDRs; empty: any address).</summary>
[GenerateSerializer, Immutable, Alias("pool.ApiKeyTerms")]
public sealed record ApiKeyTerms(
    [property: Id(0)] KeyRole Role,
    [property: Id(1)] string? Label,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] IReadOnlyList<string> AllowedCidrs);

/// <summary>A rotation: the new key (with its secret) and the old key with its shortened expiry.</summary>
[GenerateSerializer, Immutable, Alias("pool.RotatedApiKey")]
public sealed record RotatedApiKey([property: Id(0)] IssuedApiKey Issued, [property: Id(1)] ApiKeyRecord Previous);

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
    [Alias("IssueKeyWithTerms")]
    Task<IssuedApiKey> IssueKeyAsync(string tenantId, ApiKeyTerms terms);

    /// <summary>
    /// Issues a key with the tenant, role, label and allowlist of <paramref name="keyId"/> (and
    /// <paramref name="expiresAt"/>) and makes the old key expire after <paramref name="overlap"/>
    /// (never later than it already would). NotFound for an unknown key; FailedPrecondition for a
    /// revoked or expired one.
    /// </summary>
    [Alias("RotateKey")]
    Task<RotatedApiKey> RotateKeyAsync(string keyId, TimeSpan overlap, DateTimeOffset? expiresAt);

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
