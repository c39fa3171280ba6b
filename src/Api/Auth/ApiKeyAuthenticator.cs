using System.Collections.Concurrent;
using Pool.Contracts.Tenants;

namespace Pool.Api.Auth;

/// <summary>
/// Checks presented API keys against their stored hashes. Key records are cached per process for
/// <see cref="CacheLifetime"/>, so a burst of calls costs one lookup; a revocation therefore takes
/// effect within that time everywhere.
/// </summary>
public sealed class ApiKeyAuthenticator(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Record, DateTimeOffset LoadedAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>The caller a key stands for, or null with the reason it was refused.</summary>
    public async Task<(Caller? Caller, string? Refusal)> AuthenticateAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key))
        {
            return (null, "no API key: send it as \"authorization: Bearer <key>\"");
        }

        if (!ApiKeys.TryGetKeyId(key, out var keyId))
        {
            return (null, "the API key is malformed");
        }

        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(keyId, out var cached) || now - cached.LoadedAt >= CacheLifetime)
        {
            cached = (await grains.GetGrain<ITenantDirectoryGrain>(0).FindKeyAsync(keyId).WaitAsync(cancellationToken), now);
            _cache[keyId] = cached;
        }

        if (cached.Record is not { } record || !ApiKeys.Matches(key, record.SecretHash))
        {
            return (null, "the API key is not valid");
        }

        return record.RevokedAt is not null
            ? (null, $"the API key {keyId} was revoked")
            : (new Caller(record.TenantId, record.Scope, keyId, record.RequestsPerSecond), null);
    }
}
