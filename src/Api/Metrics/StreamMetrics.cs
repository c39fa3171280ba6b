using System.Diagnostics.Metrics;
using Grpc.Core;
using Pool.Api.Services;
using Pool.Contracts.Inbound;

namespace Pool.Api.Metrics;

/// <summary>
/// The "Pool.Api" meter: <c>pool.stream.delivery.latency</c>, seconds from a message being stored
/// (its received_at) to it being written to a client's gRPC stream (WatchMessages, WatchAllMessages).
/// Only messages stored after the stream opened are measured: a replay of older messages on
/// (re)connection says how long the client was away, not how fast Pool delivers.
/// </summary>
public static class StreamMetrics
{
    public const string MeterName = "Pool.Api";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Histogram<double> s_latency = s_meter.CreateHistogram<double>(
        "pool.stream.delivery.latency", "s", "Seconds from a message being stored to it being written to a client's stream");

    /// <summary>Writes <paramref name="message"/> to the stream (traced, <see cref="MessageStreams"/>) and records its latency if it was stored after <paramref name="opened"/>.</summary>
    internal static async Task WriteAsync(IServerStreamWriter<V1.Message> stream, StoredMessage message, DateTimeOffset opened, CancellationToken cancellationToken)
    {
        await stream.WriteTracedAsync(message, cancellationToken);
        if (message.ReceivedAt >= opened)
        {
            s_latency.Record(Math.Max(0, (DateTimeOffset.UtcNow - message.ReceivedAt).TotalSeconds));
        }
    }
}
