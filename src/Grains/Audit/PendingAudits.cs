using System.Collections.Concurrent;
using Pool.Contracts.Audit;

namespace Pool.Grains.Audit;

/// <summary>
/// Audit rows waiting for their grain's next state write, per activation. A grain adds the rows of a
/// change just before it writes the state that holds the change (<c>WriteOrDeactivateAsync</c>); the
/// grain storage drains them into the same statement as the state row, so both commit or neither does.
/// Rows not taken by a write (the write failed before reaching the storage) are dropped with it.
/// One per silo.
/// </summary>
public sealed class PendingAudits
{
    private readonly ConcurrentDictionary<GrainId, AuditRecord[]> _pending = new();

    /// <summary>Holds <paramref name="records"/> for the next state write of <paramref name="grain"/>.</summary>
    public void Hold(GrainId grain, IReadOnlyList<AuditRecord> records)
    {
        if (records.Count > 0)
        {
            _pending[grain] = [.. records];
        }
    }

    /// <summary>Takes the rows held for <paramref name="grain"/> (empty when there are none).</summary>
    public IReadOnlyList<AuditRecord> Take(GrainId grain) =>
        _pending.TryRemove(grain, out var records) ? records : [];
}
