using System.Data.Common;
using System.Net.Sockets;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Pool.Contracts.Errors;

/// <summary>
/// Which exceptions are infrastructure faults (the database, the network, the cluster) rather than a
/// refusal or a bug, and the answer a caller gets for one: <see cref="PoolErrorCode.Unavailable"/>, in
/// Pool's own words. The driver's text never travels: it can name hosts and carry request values, and
/// most driver exceptions cannot cross the grain boundary at all (Orleans has no codec for them).
/// The silo's grain call filter and the API's error interceptor both classify with this one rule.
/// </summary>
public static class InfrastructureFaults
{
    /// <summary>The message of every translated fault: fixed text, nothing from the exception.</summary>
    public const string Message = "a storage or cluster dependency is temporarily unavailable; retry the call";

    /// <summary>How deep an exception's inner chain is searched for a fault.</summary>
    private const int MaxDepth = 8;

    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions is an infrastructure fault.</summary>
    public static bool IsFault(Exception exception)
    {
        var current = exception;
        for (var depth = 0; current is not null && depth < MaxDepth; depth++)
        {
            if (IsFaultItself(current))
            {
                return true;
            }

            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate && aggregate.InnerExceptions.Any(IsFault))
            {
                return true;
            }

            current = current.InnerException;
        }

        return false;
    }

    public static PoolException Unavailable() => new(PoolErrorCode.Unavailable, Message);

    private static bool IsFaultItself(Exception exception) => exception switch
    {
        PoolException => false,
        // Npgsql's exceptions (connection refused, server shutting down, a broken session) are DbExceptions.
        DbException => true,
        // An ETag conflict: the grain deactivates and the retry reloads the truth (StateWrites).
        InconsistentStateException => true,
        TimeoutException or SocketException or IOException => true,
        SiloUnavailableException or OrleansMessageRejectionException => true,
        // An exception that could not travel (no codec): in practice a driver exception from a grain
        // without the filter (an older silo) or an activation that failed reading its state.
        SerializerException => true,
        // "Error from storage provider … during ReadStateAsync" and its kin.
        OrleansException when exception.Message.Contains("storage provider", StringComparison.OrdinalIgnoreCase) => true,
        _ => false,
    };
}
