using Orleans.Storage;
using Pool.Contracts.Audit;
using Pool.Grains.Audit;
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
    public static Task WriteOrDeactivateAsync<T>(this IPersistentState<T> state, Grain grain, ILogger logger) =>
        state.WriteOrDeactivateAsync(grain, logger, []);

    /// <summary>
    /// Writes <paramref name="state"/> with the audit rows of the change it holds: the grain storage
    /// inserts them in the state write's own transaction (<see cref="PendingAudits"/>), so the change
    /// and its rows commit together or not at all.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<T>(this IPersistentState<T> state, Grain grain, ILogger logger, params IReadOnlyList<AuditRecord> audit)
    {
        var pending = audit.Count > 0 ? grain.GrainContext.ActivationServices.GetService<PendingAudits>() : null;
        try
        {
            pending?.Hold(grain.GetGrainId(), audit);
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException ex)
        {
            StateWriteLog.EtagConflict(logger, Shown(grain), Pool.Sms.Logging.LogRedaction.MaskNumbers(ex.Message));
            grain.DeactivateOnIdle();
            throw new PoolException(PoolErrorCode.Unavailable, "the record changed under a concurrent activation; retry the call");
        }
        catch (Exception ex) when (ex is not PoolException)
        {
            // The storage provider has logged the failure with its stack; this line names the outcome, and
            // the exception's message (which carries the grain id) is shown masked.
            StateWriteLog.WriteFailed(logger, Shown(grain), ex.GetType().Name, Pool.Sms.Logging.LogRedaction.MaskNumbers(ex.GetBaseException().Message));
            grain.DeactivateOnIdle();
            throw new PoolException(PoolErrorCode.Unavailable, "the state store is unavailable; retry the call");
        }
        finally
        {
            // Rows a write did not take (it failed before reaching the storage) go with it.
            pending?.Take(grain.GetGrainId());
        }
    }

    /// <summary>The grain id as a log line may show it: a number grain's key (an E.164 number) masked.</summary>
    internal static string Shown(Grain grain) => Pool.Sms.Logging.LogRedaction.MaskNumbers(grain.GetGrainId().ToString());
}

internal static partial class StateWriteLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "State write of {GrainId} lost an ETag race ({Reason}); deactivating the stale activation")]
    public static partial void EtagConflict(ILogger logger, string grainId, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "State write of {GrainId} failed ({ExceptionType}: {Reason}); deactivating")]
    public static partial void WriteFailed(ILogger logger, string grainId, string exceptionType, string reason);
}
