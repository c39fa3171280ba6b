using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Pool.Contracts.Audit;

namespace Pool.Api.Auth;

/// <summary>
/// The <see cref="AuditActor"/> of a gRPC call: the caller's key, role and tenant, the peer's IP
/// address (no port) and the correlation id — the client's <c>x-correlation-id</c> or
/// <c>x-request-id</c> header (at most 128 printable ASCII characters), else the call's trace id.
/// </summary>
public static class RequestActor
{
    /// <summary>Longest correlation id taken from a client's header.</summary>
    public const int MaxCorrelationId = 128;

    public static AuditActor Of(Caller caller, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(context);
        return new AuditActor(caller.KeyId, caller.RoleName, caller.TenantId, PeerAddress(context.Peer), CorrelationId(context.RequestHeaders));
    }

    /// <summary>The IP address of a gRPC peer string ("ipv4:127.0.0.1:5000", "ipv6:[::1]:5000"), or null when it has none.</summary>
    public static string? PeerAddress(string? peer)
    {
        if (string.IsNullOrEmpty(peer))
        {
            return null;
        }

        var colon = peer.IndexOf(':', StringComparison.Ordinal);
        var rest = colon >= 0 ? peer[(colon + 1)..] : peer;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            rest = close > 0 ? rest[1..close] : rest;
        }
        else if (rest.LastIndexOf(':') is var port and > 0 && rest.IndexOf(':', StringComparison.Ordinal) == port)
        {
            rest = rest[..port];
        }

        return IPAddress.TryParse(rest, out var address) ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : null;
    }

    /// <summary>The client's correlation id when it sent a usable one, else the current trace id, else null.</summary>
    public static string? CorrelationId(Metadata? headers) =>
        CorrelationId(headers?.GetValue("x-correlation-id") ?? headers?.GetValue("x-request-id"));

    /// <summary>The correlation id a client <paramref name="sent"/> (an HTTP header's value) when usable, else the current trace id, else null.</summary>
    public static string? CorrelationId(string? sent)
    {
        if (sent is { Length: > 0 and <= MaxCorrelationId } && sent.All(c => c is >= '!' and <= '~'))
        {
            return sent;
        }

        return Activity.Current is { } activity ? activity.TraceId.ToString() : null;
    }
}
