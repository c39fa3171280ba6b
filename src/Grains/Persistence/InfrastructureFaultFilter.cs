using Pool.Contracts.Errors;

namespace Pool.Grains.Persistence;

/// <summary>
/// The grain boundary of every grain on the silo: an infrastructure fault thrown by a grain method
/// (PostgreSQL down, a storage provider error, a timeout, a socket error, a dependency grain's silo
/// gone) leaves the grain as <see cref="PoolException"/> with <see cref="PoolErrorCode.Unavailable"/>,
/// which serializes and tells the caller to retry. Refusals and bugs pass through unchanged.
/// </summary>
public sealed partial class InfrastructureFaultFilter(ILogger<InfrastructureFaultFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (ex is not PoolException && InfrastructureFaults.IsFault(ex))
        {
            // A grain id can be a phone number (number grains are keyed by E.164): only its masked form is logged, and the
            // fault's type, not its text (which can name the grain too).
            Translated(logger, Pool.Sms.Logging.LogRedaction.Quote(context.TargetId.ToString(), 200), context.ImplementationMethod.Name, ex.GetType().Name);
            throw InfrastructureFaults.Unavailable();
        }
    }

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "{GrainId}.{Method} failed with an infrastructure fault ({ExceptionType}); answered Unavailable")]
    private static partial void Translated(ILogger logger, string grainId, string method, string exceptionType);
}
