namespace Pool.Grains.Inventory;

/// <summary>
/// The write-behind of number and lease state into the queryable <c>numbers</c> and <c>leases</c>
/// tables (read by allocation shards, tenant listings, statistics and the expiry sweep).
///
/// Design: the projection is written behind the grain's own durable write and repaired, rather than
/// committed with it. Committing with it would need the storage provider's write and the row's write in
/// one transaction (the provider owns that write), or a second synchronous write per transition: a
/// lease cycle would go from four durable writes to eight, and durable writes are what bounds a cycle
/// (docs/benchmarks.md). Written behind, the rows of many transitions share one batched statement.
/// What makes it trustworthy is that nothing is dropped silently:
/// <list type="bullet">
/// <item>the journal keeps only the newest change per number and per lease (a newer revision replaces an
/// older one), so its size is bounded by how many numbers and leases changed, never by how fast they
/// change, and nothing has to be thrown away when writes are slow;</item>
/// <item>a batch that fails goes back into the journal (never over a newer change) and is tried again
/// until it is written, however long PostgreSQL is away;</item>
/// <item>a stopping silo writes what it holds in its stopping lifecycle, after its grains have been
/// deactivated (<see cref="ProjectionWriter"/>);</item>
/// <item>what a silo that died held is found and re-projected by <see cref="ProjectionReconciler"/>,
/// which compares each recently written state's version with its row's revision.</item>
/// </list>
/// </summary>
public sealed class ProjectionJournal
{
    private readonly Lock _lock = new();
    private Dictionary<string, NumberProjection> _numbers = new(StringComparer.Ordinal);
    private Dictionary<string, LeaseProjection> _leases = new(StringComparer.Ordinal);
    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Changes waiting to be written.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _numbers.Count + _leases.Count;
            }
        }
    }

    public void Number(NumberProjection change)
    {
        lock (_lock)
        {
            KeepNewer(_numbers, change.Number, change, change.Revision, n => n.Revision);
            _pending.TrySetResult();
        }
    }

    public void Lease(LeaseProjection change)
    {
        lock (_lock)
        {
            KeepNewer(_leases, change.LeaseId, change, change.Revision, l => l.Revision);
            _pending.TrySetResult();
        }
    }

    /// <summary>Completes when the journal holds changes (at once if it already does).</summary>
    internal Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _numbers.Count + _leases.Count > 0 ? Task.CompletedTask : _pending.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes everything the journal holds; the caller writes it or hands it back with <see cref="Restore"/>.</summary>
    public (IReadOnlyList<NumberProjection> Numbers, IReadOnlyList<LeaseProjection> Leases) TakeAll()
    {
        lock (_lock)
        {
            var taken = (Numbers: (IReadOnlyList<NumberProjection>)[.. _numbers.Values], Leases: (IReadOnlyList<LeaseProjection>)[.. _leases.Values]);
            _numbers = new(StringComparer.Ordinal);
            _leases = new(StringComparer.Ordinal);
            _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return taken;
        }
    }

    /// <summary>Hands back changes that could not be written; a newer change that arrived meanwhile wins.</summary>
    public void Restore(IReadOnlyList<NumberProjection> numbers, IReadOnlyList<LeaseProjection> leases)
    {
        foreach (var change in numbers)
        {
            Number(change);
        }

        foreach (var change in leases)
        {
            Lease(change);
        }
    }

    private static void KeepNewer<T>(Dictionary<string, T> changes, string key, T change, int revision, Func<T, int> revisionOf)
    {
        if (!changes.TryGetValue(key, out var held) || revisionOf(held) < revision)
        {
            changes[key] = change;
        }
    }
}
