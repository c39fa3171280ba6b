using System.Collections.Concurrent;
using Pool.Contracts.Errors;

namespace Pool.Grains.Inventory;

/// <summary>
/// A per-silo read-through cache of pools, so that resolving the pool of a lease costs neither a grain
/// call to a shared activation nor (after the first time) a database round trip. Pools never change
/// country, so a cached pool is never stale; a country's list of pools is refreshed after
/// <see cref="CountryListLifetime"/>, and an unknown pool or a country without pools is looked up again each time.
/// </summary>
public sealed class PoolCatalog(NumberInventory inventory, TimeProvider time)
{
    public static readonly TimeSpan CountryListLifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, PoolRecord> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<PoolRecord> Pools, DateTimeOffset LoadedAt)> _countries = new(StringComparer.Ordinal);

    /// <summary>
    /// The pools a lease for <paramref name="country"/> may draw from: the named pool (which must be of
    /// that country), or every pool of the country.
    /// </summary>
    public async Task<IReadOnlyList<PoolRecord>> ResolveAsync(string country, string? poolId, CancellationToken cancellationToken = default)
    {
        if (poolId is not null)
        {
            if (!_pools.TryGetValue(poolId, out var pool))
            {
                pool = await inventory.FindPoolAsync(poolId, cancellationToken)
                    ?? throw new PoolException(PoolErrorCode.NotFound, $"pool '{poolId}' does not exist", "pool");
                _pools[poolId] = pool;
            }

            if (pool.Country != country)
            {
                throw new PoolException(PoolErrorCode.InvalidArgument, $"pool '{poolId}' holds numbers of {pool.Country}, not {country}", "pool");
            }

            return [pool];
        }

        var now = time.GetUtcNow();
        if (_countries.TryGetValue(country, out var cached) && cached.Pools.Count > 0 && now - cached.LoadedAt < CountryListLifetime)
        {
            return cached.Pools;
        }

        var pools = await inventory.ListPoolsOfCountryAsync(country, cancellationToken);
        _countries[country] = (pools, now);
        foreach (var pool in pools)
        {
            _pools[pool.PoolId] = pool;
        }

        return pools;
    }
}
