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
            Translated(logger, context.TargetId.ToString(), context.ImplementationMethod.Name, ex.GetType().Name, ex);
            throw InfrastructureFaults.Unavailable();
        }
    }

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "{GrainId}.{Method} failed with an infrastructure fault ({ExceptionType}); answered Unavailable")]
    private static partial void Translated(ILogger logger, string grainId, string method, string exceptionType, Exception exception);
}
