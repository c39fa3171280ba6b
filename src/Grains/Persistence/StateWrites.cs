using Orleans.Storage;
using Pool.Contracts.Errors;

namespace Pool.Grains.Persistence;

/// <summary>The one way grains persist: acknowledge nothing before the write succeeded.</summary>
internal static class StateWrites
{
    /// <summary>
    /// Writes <paramref name="state"/>. When the write fails the in-memory state may be ahead of the
    /// database (or, on an ETag conflict, another activation owns the record), so the activation is
    /// discarded and the caller gets a retryable error; the next call reloads the truth.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<T>(this IPersistentState<T> state, Grain grain, ILogger logger)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException ex)
        {
            StateWriteLog.EtagConflict(logger, grain.GetGrainId().ToString(), ex);
            grain.DeactivateOnIdle();
            throw new PoolException(PoolErrorCode.Unavailable, "the record changed under a concurrent activation; retry the call");
        }
        catch (Exception ex) when (ex is not PoolException)
        {
            StateWriteLog.WriteFailed(logger, grain.GetGrainId().ToString(), ex);
            grain.DeactivateOnIdle();
            throw new PoolException(PoolErrorCode.Unavailable, "the state store is unavailable; retry the call");
        }
    }
}

internal static partial class StateWriteLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "State write of {GrainId} lost an ETag race; deactivating the stale activation")]
    public static partial void EtagConflict(ILogger logger, string grainId, Exception exception);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "State write of {GrainId} failed; deactivating")]
    public static partial void WriteFailed(ILogger logger, string grainId, Exception exception);
}
