using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Pool.Contracts.Tenants;

namespace Pool.Api.Auth;

/// <summary>
/// Checks presented API keys against their stored hashes, expiry and address allowlist. Key records
/// are cached per process for <see cref="CacheLifetime"/>, so a burst of calls costs one lookup; a
/// revocation, rotation or other change of a key therefore takes effect within that time everywhere.
/// </summary>
public sealed class ApiKeyAuthenticator(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The caller a key stands for, or null with the refusal: which rule refused it. A key that is
    /// missing, malformed, unknown, revoked or expired is refused as unauthenticated; a call from outside
    /// the key's allowlist as permission denied.
    /// </summary>
    public async Task<(Caller? Caller, KeyRefusal? Refusal)> AuthenticateAsync(string? key, IPAddress? peer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key))
        {
            return (null, KeyRefusal.Unauthenticated(KeyRefusal.NoKey, "no API key: send it as \"authorization: Bearer <key>\""));
        }

        if (!ApiKeys.TryGetKeyId(key, out var keyId))
        {
            return (null, KeyRefusal.Unauthenticated(KeyRefusal.Malformed, "the API key is malformed"));
        }

        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(keyId, out var cached) || now - cached.LoadedAt >= CacheLifetime)
        {
            var loaded = await grains.GetGrain<ITenantDirectoryGrain>(0).FindKeyAsync(keyId).WaitAsync(cancellationToken);
            cached = new CachedKey(loaded, loaded is null ? KeyAllowlist.Any : KeyAllowlist.Of(loaded.AllowedCidrs), now);
            _cache[keyId] = cached;
        }

        if (cached.Record is not { } record)
        {
            return (null, KeyRefusal.Unauthenticated(KeyRefusal.Invalid, "the API key is not valid"));
        }

        if (!ApiKeys.Matches(key, record.SecretHash))
        {
            return (null, KeyRefusal.Unauthenticated(KeyRefusal.Invalid, "the API key is not valid", record));
        }

        if (record.RevokedAt is { } revoked)
        {
            return (null, KeyRefusal.Unauthenticated(KeyRefusal.Revoked, $"the API key {keyId} was revoked at {Format(revoked)}", record));
        }

        if (record.ExpiresAt is { } expires && expires <= now)
        {
            return (null, KeyRefusal.Unauthenticated(KeyRefusal.Expired, $"the API key {keyId} expired at {Format(expires)}", record));
        }

        if (!cached.Allowlist.Allows(peer))
        {
            var address = peer is null ? "an unknown address" : $"address {(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer)}";
            return (null, KeyRefusal.PermissionDenied(KeyRefusal.Allowlist, $"{address} is not in the allowlist of key {keyId}", record));
        }

        return (new Caller(record.TenantId, record.Role, keyId, record.RequestsPerSecond), null);
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record CachedKey(ApiKeyRecord? Record, KeyAllowlist Allowlist, DateTimeOffset LoadedAt);
}

/// <summary>
/// Why a call was refused: the gRPC code, the rule (a short stable name, for rate-limiting audit rows),
/// the message the caller sees, and the stored key when the call named one that exists.
/// </summary>
public sealed record KeyRefusal(Google.Rpc.Code Code, string Rule, string Message, ApiKeyRecord? Key)
{
    public const string NoKey = "no-key";
    public const string Malformed = "malformed";
    public const string Invalid = "invalid";
    public const string Revoked = "revoked";
    public const string Expired = "expired";
    public const string Allowlist = "allowlist";
    public const string Role = "role";

    public static KeyRefusal Unauthenticated(string rule, string message, ApiKeyRecord? key = null) => new(Google.Rpc.Code.Unauthenticated, rule, message, key);

    public static KeyRefusal PermissionDenied(string rule, string message, ApiKeyRecord? key = null) => new(Google.Rpc.Code.PermissionDenied, rule, message, key);
}
