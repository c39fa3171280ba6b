using Orleans.Concurrency;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Tenants;

namespace Pool.Grains.Tenants;

/// <summary>Tenants and API keys over the relational tables.</summary>
[StatelessWorker] // Queries and single-row writes with no state of its own: served on the caller's silo, several at once.
public sealed class TenantDirectoryGrain(TenantStore store, ILogger<TenantDirectoryGrain> logger) : Grain, ITenantDirectoryGrain
{
    public async Task<TenantInfo> CreateTenantAsync(string tenantId, string name)
    {
        var tenant = await store.CreateTenantAsync(tenantId, name, AuditActor.Current);
        return tenant.Name == name
            ? tenant
            : throw new PoolException(PoolErrorCode.Conflict, $"tenant '{tenantId}' already exists with another name");
    }

    public Task<IReadOnlyList<TenantInfo>> ListTenantsAsync() => store.ListTenantsAsync();

    public async Task<IssuedApiKey> IssueKeyAsync(string tenantId, ApiKeyTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        _ = await store.FindTenantAsync(tenantId) ?? throw new PoolException(PoolErrorCode.NotFound, $"tenant '{tenantId}' does not exist", "tenant");
        var (keyId, key) = ApiKeys.Generate();
        var record = await store.InsertKeyAsync(keyId, tenantId, terms, ApiKeys.Hash(key), AuditActor.Current);
        var role = KeyRoles.Name(terms.Role);
        TenantLog.KeyIssued(logger, keyId, tenantId, role);
        return new IssuedApiKey(record, key);
    }

    public async Task<RotatedApiKey> RotateKeyAsync(string keyId, TimeSpan overlap, DateTimeOffset? expiresAt)
    {
        var (newKeyId, key) = ApiKeys.Generate();
        if (await store.RotateKeyAsync(keyId, newKeyId, ApiKeys.Hash(key), overlap, expiresAt, AuditActor.Current) is not { } rotated)
        {
            var existing = await store.FindKeyAsync(keyId) ?? throw new PoolException(PoolErrorCode.NotFound, $"API key '{keyId}' does not exist", "key_id");
            throw new PoolException(
                PoolErrorCode.FailedPrecondition,
                existing.RevokedAt is { } revoked
                    ? $"API key '{keyId}' was revoked at {revoked:yyyy-MM-ddTHH:mm:ssZ}: issue a new key instead of rotating it"
                    : $"API key '{keyId}' expired at {existing.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}: issue a new key instead of rotating it");
        }

        var (issued, previous) = rotated;
        TenantLog.KeyRotated(logger, keyId, newKeyId, issued.TenantId, previous.ExpiresAt!.Value);
        return new RotatedApiKey(new IssuedApiKey(issued, key), previous);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId)
    {
        _ = await store.FindTenantAsync(tenantId) ?? throw new PoolException(PoolErrorCode.NotFound, $"tenant '{tenantId}' does not exist", "tenant");
        return await store.ListKeysAsync(tenantId);
    }

    public async Task<ApiKeyRecord> RevokeKeyAsync(string keyId)
    {
        var record = await store.RevokeKeyAsync(keyId, AuditActor.Current) ?? throw new PoolException(PoolErrorCode.NotFound, $"API key '{keyId}' does not exist", "key_id");
        TenantLog.KeyRevoked(logger, keyId, record.TenantId);
        return record;
    }

    public Task<ApiKeyRecord?> FindKeyAsync(string keyId) => store.FindKeyAsync(keyId);

    public async Task<TenantInfo> SetLimitsAsync(string tenantId, TenantLimits limits)
    {
        var tenant = await store.SetLimitsAsync(tenantId, limits, AuditActor.Current) ?? throw new PoolException(PoolErrorCode.NotFound, $"tenant '{tenantId}' does not exist", "tenant");
        await GrainFactory.GetGrain<ITenantGrain>(tenantId).RefreshAsync();
        return tenant;
    }

    public async Task<TenantInfo> GetTenantAsync(string tenantId) =>
        await store.FindTenantAsync(tenantId) ?? throw new PoolException(PoolErrorCode.NotFound, $"tenant '{tenantId}' does not exist", "tenant");
}

internal static partial class TenantLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "API key {KeyId} issued for tenant {TenantId} ({Role})")]
    public static partial void KeyIssued(ILogger logger, string keyId, string tenantId, string role);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "API key {KeyId} of tenant {TenantId} revoked")]
    public static partial void KeyRevoked(ILogger logger, string keyId, string tenantId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "API key {KeyId} of tenant {TenantId} rotated to {NewKeyId}; the old key expires at {ExpiresAt}")]
    public static partial void KeyRotated(ILogger logger, string keyId, string newKeyId, string tenantId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Tenant {TenantId} throttled for {Cooloff}: {Silent} of its recent leases received no SMS (anti-scan)")]
    public static partial void Throttled(ILogger logger, string tenantId, int silent, TimeSpan cooloff);
}
