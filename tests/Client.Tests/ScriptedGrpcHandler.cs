using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace Pool.Client.Tests;

/// <summary>
/// A gRPC server in a handler, for counting attempts exactly: each unary call is answered by the next scripted status
/// (UNAVAILABLE, with or without a RetryInfo, or any other code), then by OK with the given answer. Records every attempt's
/// headers and request bytes.
/// </summary>
internal sealed class ScriptedGrpcHandler(IMessage answer, params (Grpc.Core.StatusCode Code, TimeSpan? RetryDelay)[] failures) : HttpMessageHandler
{
    private int _calls;

    public sealed record Attempt(string Path, string? Authorization, byte[] Body);

    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        Attempts.Enqueue(new Attempt(
            request.RequestUri!.AbsolutePath,
            request.Headers.TryGetValues("authorization", out var auth) ? auth.Single() : null,
            body[5..])); // the 5-byte gRPC frame header: compressed flag and length
        var index = Interlocked.Increment(ref _calls) - 1;
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20, RequestMessage = request };
        if (index < failures.Length)
        {
            // A trailers-only answer: the status in the headers, as a server sends a refusal before any message.
            var (code, retryDelay) = failures[index];
            response.Content = new ByteArrayContent([]);
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            response.Headers.Add("grpc-status", ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture));
            response.Headers.Add("grpc-message", "scripted failure");
            if (retryDelay is { } delay)
            {
                var status = new Status { Code = (int)code, Message = "scripted failure", Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }) } };
                response.Headers.Add("grpc-status-details-bin", Convert.ToBase64String(status.ToByteArray()).TrimEnd('='));
            }

            return response;
        }

        var message = answer.ToByteArray();
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        response.Content = new ByteArrayContent(frame);
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        response.TrailingHeaders.Add("grpc-status", "0");
        return response;
    }
}
