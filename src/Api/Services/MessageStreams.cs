using System.Diagnostics;
using Grpc.Core;
using Pool.Api.Mapping;
using Pool.Contracts.Inbound;
using Pool.Contracts.Tracing;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>Writes stored messages to a client's stream, each as span <see cref="PoolActivity.StreamWrite"/>.</summary>
internal static class MessageStreams
{
    /// <summary>
    /// Writes <paramref name="message"/>. The span continues the trace that routed the message (the carrier's
    /// request) when its traceparent came with it, linked to the stream's own call; otherwise it is a child of the call.
    /// </summary>
    public static async Task WriteTracedAsync(this IServerStreamWriter<Message> stream, StoredMessage message, CancellationToken cancellationToken)
    {
        using var span = PoolActivity.StartContinuing(PoolActivity.StreamWrite, ActivityKind.Producer, message.TraceParent);
        span?.SetTag(PoolActivity.MessageIdTag, message.MessageId).SetTag(PoolActivity.LeaseIdTag, message.LeaseId);
        await stream.WriteAsync(message.ToProto(), cancellationToken);
    }
}
