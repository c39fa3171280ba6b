using System.Runtime.CompilerServices;
using Grpc.Core;
using Pool.V1;

namespace Pool.Client;

/// <summary>
/// <c>Leases.WatchAllMessages</c> as one stream that survives reconnections. Pool hands a tenant's messages out in cursor order
/// and a stream opened with <c>after_cursor</c> = c starts with the first message after c, so reopening from the cursor of the
/// last message yielded neither repeats nor skips one; a message at or before that cursor (which Pool does not send) is
/// dropped all the same.
/// </summary>
internal static class ResumableWatch
{
    public static async IAsyncEnumerable<Message> RunAsync(
        Leases.LeasesClient leases, long afterCursor, PoolWatchOptions options, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = afterCursor;
        var backoff = options.InitialBackoff;
        long? unreachableSince = null; // Since when every attempt has failed to reach Pool.
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var opened = time.GetTimestamp();
            RpcException? failure = null;
            using (var call = leases.WatchAllMessages(new WatchAllMessagesRequest { AfterCursor = cursor }, cancellationToken: cancellationToken))
            {
                while (true)
                {
                    Message? next = null;
                    try
                    {
                        if (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                        {
                            next = call.ResponseStream.Current;
                        }
                    }
                    catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
                    {
                        throw new OperationCanceledException("the watch was cancelled", ex, cancellationToken);
                    }
                    catch (RpcException ex) when (IsTransient(ex))
                    {
                        failure = ex;
                    }

                    if (next is null)
                    {
                        break; // Failed, or ended by the server (a restart): reconnect from the cursor.
                    }

                    if (next.Cursor <= cursor)
                    {
                        continue;
                    }

                    cursor = next.Cursor;
                    backoff = options.InitialBackoff;
                    unreachableSince = null;
                    yield return next;
                }
            }

            var now = time.GetTimestamp();
            if (failure is not null && IsUnreachable(failure))
            {
                // Pool could not be reached at all (refused, unresolved, no route): the watch gives up once that has lasted GiveUpAfter.
                unreachableSince ??= now;
                if (options.GiveUpAfter is { } giveUp && time.GetElapsedTime(unreachableSince.Value, now) >= giveUp)
                {
                    throw failure;
                }
            }
            else
            {
                unreachableSince = null; // Reached: the stream was cut or ended, or Pool itself answered UNAVAILABLE.
            }

            if (time.GetElapsedTime(opened, now) > options.MaxBackoff)
            {
                backoff = options.InitialBackoff; // A stream that stayed open a while was working: reconnect quickly.
            }

            await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(options.MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    /// <summary>Whether the call never reached Pool: the connection was refused or could not be made (no stream was cut: Pool was not there).</summary>
    internal static bool IsUnreachable(RpcException ex)
    {
        for (var inner = ex.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError }:
                case System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.TimedOut }:
                    return true;
                case HttpIOException:
                    return false; // A stream that was open and then cut.
            }
        }

        return false;
    }

    /// <summary>
    /// What a reconnection may cure: UNAVAILABLE (Pool's retryable answer, a refused or lost connection), and a stream cut by the
    /// server or the network (CANCELLED or INTERNAL with a transport error underneath, while the caller had not cancelled).
    /// Anything else, UNAUTHENTICATED and PERMISSION_DENIED first, is the caller's to see.
    /// </summary>
    internal static bool IsTransient(RpcException ex) => ex.StatusCode switch
    {
        StatusCode.Unavailable => true,
        StatusCode.Cancelled or StatusCode.Internal => ex.Status.DebugException is IOException or HttpRequestException or HttpIOException or OperationCanceledException,
        _ => false,
    };
}
