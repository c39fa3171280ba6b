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
        long? failingSince = null; // When the current run of failed streams began.
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
                    failingSince = null;
                    yield return next;
                }
            }

            // A stream that stayed open longer than the longest backoff was connected: its end starts a new run of failures.
            var now = time.GetTimestamp();
            if (failingSince is null || time.GetElapsedTime(opened, now) > options.MaxBackoff)
            {
                failingSince = now;
                backoff = options.InitialBackoff;
            }
            else if (options.GiveUpAfter is { } giveUp && time.GetElapsedTime(failingSince.Value, now) >= giveUp)
            {
                throw failure ?? new RpcException(new Status(StatusCode.Unavailable, $"the message stream kept ending for {giveUp} without delivering"));
            }

            await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(options.MaxBackoff.Ticks, backoff.Ticks * 2));
        }
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
