using Orleans.Concurrency;
using Pool.Contracts.Leases;
using Pool.Grains.Inventory;

namespace Pool.Grains.Leases;

/// <summary>
/// Lists leases from the lease projection. A row still active past its deadline is shown expired at its
/// deadline: every call on such a lease ends it first, and its grain's timer records the end within a
/// second or so; the projection follows a moment later.
/// </summary>
[StatelessWorker] // A read-only query: served on the caller's silo, several at once.
public sealed class LeaseQueryGrain(NumberInventory inventory, PoolCatalog catalog, [FromKeyedServices(PoolClock.Key)] TimeProvider time) : Grain, ILeaseQueryGrain
{
    public async Task<IReadOnlyList<LeaseInfo>> ListAsync(string tenantId, bool activeOnly, LeaseCursor? after, int limit)
    {
        var rows = await inventory.ListLeasesAsync(tenantId, activeOnly, after?.CreatedAt, after?.LeaseId, limit);
        var now = time.GetUtcNow();
        var leases = new List<LeaseInfo>(rows.Count);
        foreach (var row in rows)
        {
            var pool = await catalog.GetAsync(row.PoolId);
            var overdue = row.Status == "active" && row.ExpiresAt <= now;
            leases.Add(new LeaseInfo(
                row.LeaseId, row.TenantId, row.PoolId, pool.Country, row.Number, row.Service, row.CreatedAt, row.ExpiresAt,
                row.Status == "active" && !overdue ? LeaseStatus.Active : LeaseStatus.Ended,
                overdue ? LeaseOutcome.Expired : LeaseOutcomes.Parse(row.Outcome),
                overdue ? row.ExpiresAt : row.EndedAt));
        }

        return leases;
    }
}
