using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Pool.Client;

/// <summary>
/// Makes retries of mutating calls safe: a unary request with a string field <c>idempotency_key</c> left empty is sent as a copy
/// carrying a new random key (<c>pc-</c> and 32 hex digits). It runs once per call, above the channel, so every retry attempt
/// gRPC makes of that call carries the same key, and Pool answers a retry of a call it already did with the first answer
/// (see "Retries" in Pool's README). The caller's request object is left as it was: a request reused for a second call gets
/// a second key, so it is a second call. A key the caller set is sent unchanged.
/// </summary>
internal sealed class IdempotencyKeys : Interceptor
{
    public const string FieldName = "idempotency_key";
    public const string Prefix = "pc-";

    private static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor?> s_fields = new();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithKey(request), context);

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithKey(request), context);

    /// <summary>The request itself when it needs no key or has one; otherwise a copy with a new key.</summary>
    public static TRequest WithKey<TRequest>(TRequest request)
        where TRequest : class
    {
        if (request is not IMessage message || KeyField(message.Descriptor) is not { } field || ((string)field.Accessor.GetValue(message)).Length > 0)
        {
            return request;
        }

        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        field.Accessor.SetValue(copy, NewKey());
        return (TRequest)copy;
    }

    /// <summary>A new key: 35 printable ASCII characters, inside Pool's 1–128.</summary>
    public static string NewKey() => Prefix + Guid.NewGuid().ToString("N");

    private static FieldDescriptor? KeyField(MessageDescriptor descriptor) =>
        s_fields.GetOrAdd(descriptor, d => d.FindFieldByName(FieldName) is { FieldType: FieldType.String, IsRepeated: false } f ? f : null);
}
