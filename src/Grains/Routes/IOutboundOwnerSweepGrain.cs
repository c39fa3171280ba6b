namespace Pool.Grains.Routes;

/// <summary>
/// Tells the owners of settled message parts that were never told (a reminder; one activation, key 0).
/// Declared with the grains rather than in the contracts: only the silo starts it, and operators and
/// tests call it through the cluster; no API serves it.
/// </summary>
[Alias("pool.IOutboundOwnerSweepGrain")]
public interface IOutboundOwnerSweepGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the reminder (idempotent; the silo calls it at start).</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>
    /// Tells the owner of every part settled at least <see cref="RouteSelectionOptions.OwnerNoticeGrace"/>
    /// ago whose owner was not told, at most <see cref="OutboundOwnerSweepGrain.Batch"/> a run, and marks
    /// those told; returns how many it told. Unavailable when the database fails.
    /// </summary>
    [Alias("Sweep")]
    Task<int> SweepAsync();
}
