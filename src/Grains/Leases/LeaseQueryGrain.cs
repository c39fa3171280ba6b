using Orleans.Concurrency;
using Pool.Contracts.Leases;
using Pool.Grains.Inventory;

namespace Pool.Grains.Leases;

/// <summary>Lists leases from the lease projection.</summary>
[StatelessWorker] // A read-only query: served on the caller's silo, several at once.
public sealed class LeaseQueryGrain(NumberInventory inventory, PoolCatalog catalog) : Grain, ILeaseQueryGrain
{
    public async Task<IReadOnlyList<LeaseInfo>> ListAsync(string tenantId, bool activeOnly, LeaseCursor? after, int limit)
    {
        var rows = await inventory.ListLeasesAsync(tenantId, activeOnly, after?.CreatedAt, after?.LeaseId, limit);
        var leases = new List<LeaseInfo>(rows.Count);
        foreach (var row in rows)
        {
            var pool = await catalog.GetAsync(row.PoolId);
            leases.Add(new LeaseInfo(
                row.LeaseId, row.TenantId, row.PoolId, pool.Country, row.Number, row.Service, row.CreatedAt, row.ExpiresAt,
                row.Status == "active" ? LeaseStatus.Active : LeaseStatus.Ended, ParseOutcome(row.Outcome), row.EndedAt));
        }

        return leases;
    }

    private static LeaseOutcome ParseOutcome(string? outcome) => outcome switch
    {
        "completed" => LeaseOutcome.Completed,
        "cancelled" => LeaseOutcome.Cancelled,
        "expired" => LeaseOutcome.Expired,
        "bad_number" => LeaseOutcome.BadNumber,
        _ => LeaseOutcome.None,
    };
}
