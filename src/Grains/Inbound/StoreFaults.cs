using Npgsql;
using Pool.Contracts.Errors;

namespace Pool.Grains.Inbound;

/// <summary>
/// The inbound grains' translation of database faults at the grain boundary: an NpgsqlException cannot
/// cross it (Orleans has no codec for it), and the carrier must hear "not stored, retry" (its
/// deliver_sm answered ESME_RX_T_APPN, its HTTP post 503), so a fault becomes PoolException(Unavailable).
/// </summary>
internal static class StoreFaults
{
    public static bool IsStoreFault(Exception exception) => exception is NpgsqlException or TimeoutException;

    public static PoolException Unavailable(string what) => new(PoolErrorCode.Unavailable, $"{what}: the message store is unavailable; retry");

    public static async Task<T> GuardAsync<T>(Func<Task<T>> operation, ILogger logger, string what)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            InboundLog.StoreFailed(logger, what, ex);
            throw Unavailable(what);
        }
    }

    public static async Task GuardAsync(Func<Task> operation, ILogger logger, string what)
    {
        try
        {
            await operation();
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            InboundLog.StoreFailed(logger, what, ex);
            throw Unavailable(what);
        }
    }
}
