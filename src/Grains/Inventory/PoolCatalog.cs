using System.Collections.Concurrent;
using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;

namespace Pool.Grains.Inventory;

/// <summary>
/// A per-silo read-through cache of pools and their policies, so resolving the pool of a lease costs
/// neither a call to a shared grain nor (mostly) a database round trip. Entries live
/// <see cref="Lifetime"/>: a policy change reaches every silo within that time. Unknown pools and
/// countries without pools are looked up again on every request.
/// </summary>
public sealed class PoolCatalog(NumberInventory inventory, [FromKeyedServices(PoolClock.Key)] TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (PoolInfo Pool, DateTimeOffset LoadedAt)> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<PoolInfo> Pools, DateTimeOffset LoadedAt)> _countries = new(StringComparer.Ordinal);

    /// <summary>The pool, or NotFound naming it.</summary>
    public async Task<PoolInfo> GetAsync(string poolId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_pools.TryGetValue(poolId, out var cached) && now - cached.LoadedAt < Lifetime)
        {
            return cached.Pool;
        }

        var pool = await inventory.FindPoolAsync(poolId, cancellationToken)
            ?? throw new PoolException(PoolErrorCode.NotFound, $"pool '{poolId}' does not exist", "pool");
        _pools[poolId] = (pool, now);
        return pool;
    }

    /// <summary>
    /// The pools a lease for <paramref name="country"/> may draw from: the named pool (which must be of
    /// that country), or every pool of the country.
    /// </summary>
    public async Task<IReadOnlyList<PoolInfo>> ResolveAsync(string country, string? poolId, CancellationToken cancellationToken = default)
    {
        if (poolId is not null)
        {
            var pool = await GetAsync(poolId, cancellationToken);
            return pool.Country == country
                ? [pool]
                : throw new PoolException(PoolErrorCode.InvalidArgument, $"pool '{poolId}' holds numbers of {pool.Country}, not {country}", "pool");
        }

        var now = time.GetUtcNow();
        if (_countries.TryGetValue(country, out var cached) && cached.Pools.Count > 0 && now - cached.LoadedAt < Lifetime)
        {
            return cached.Pools;
        }

        var pools = await inventory.ListPoolsAsync(country, cancellationToken);
        _countries[country] = (pools, now);
        foreach (var pool in pools)
        {
            _pools[pool.PoolId] = (pool, now);
        }

        return pools;
    }

    /// <summary>Forgets a pool on this silo, after this silo changed it.</summary>
    public void Invalidate(string poolId)
    {
        _pools.TryRemove(poolId, out _);
        _countries.Clear();
    }
}
