using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Pool.Api.Auth;

/// <summary>
/// Per-tenant request rate limits in this API process: a token bucket per tenant holding one second's
/// worth of calls, refilled with a second's worth every second. Each API process enforces the tenant's rate on its own, so
/// with N front ends a tenant can reach N times the configured rate (say so when sizing limits).
/// </summary>
public sealed class TenantRateLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, (int Rate, TokenBucketRateLimiter Limiter)> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one call from the tenant's bucket; when it is empty, how long until the next token.</summary>
    public (bool Allowed, TimeSpan RetryAfter) TryAcquire(string tenantId, int requestsPerSecond)
    {
        var bucket = _buckets.AddOrUpdate(
            tenantId,
            _ => (requestsPerSecond, Create(requestsPerSecond)),
            (_, existing) =>
            {
                if (existing.Rate == requestsPerSecond)
                {
                    return existing;
                }

                existing.Limiter.Dispose();
                return (requestsPerSecond, Create(requestsPerSecond));
            });
        using var lease = bucket.Limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return (true, TimeSpan.Zero);
        }

        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1.0 / requestsPerSecond));
    }

    public void Dispose()
    {
        foreach (var (_, limiter) in _buckets.Values)
        {
            limiter.Dispose();
        }
    }

    private static TokenBucketRateLimiter Create(int requestsPerSecond) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = requestsPerSecond,
        TokensPerPeriod = requestsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
