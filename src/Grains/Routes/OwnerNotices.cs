namespace Pool.Grains.Routes;

/// <summary>
/// Telling a settled part's owner of its delivery, and recording that it was told. Whoever settled the
/// part tells the owner at once; when that fails or its silo dies first, the part stays untold in the
/// store and <see cref="OutboundOwnerSweepGrain"/> tells the owner later. So an owner may hear of one
/// settlement twice (<see cref="OutboundReferences.DeliverAsync"/> owners take a repeat as a no-op),
/// never not at all.
/// </summary>
internal static class OwnerNotices
{
    /// <summary>Tells the owner; a failure is logged and left to the sweep. Returns whether the owner took it.</summary>
    public static async Task<bool> TellAsync(IGrainFactory grains, Settlement settlement, ILogger logger)
    {
        try
        {
            await OutboundReferences.DeliverAsync(grains, settlement.Reference, settlement.Delivered);
            return true;
        }
        catch (Exception ex)
        {
            RouteLog.OwnerNotTold(logger, settlement.Reference, ex);
            return false;
        }
    }

    /// <summary>Tells the owner and records that it was told; a failure of either is logged and left to the sweep.</summary>
    public static async Task TellAndMarkAsync(IGrainFactory grains, OutboundStore store, TimeProvider time, Settlement settlement, ILogger logger)
    {
        if (!await TellAsync(grains, settlement, logger))
        {
            return;
        }

        try
        {
            await store.MarkOwnersToldAsync([settlement.OutboundId], time.GetUtcNow());
        }
        catch (Exception ex)
        {
            RouteLog.OwnerToldNotMarked(logger, settlement.Reference, ex);
        }
    }
}
