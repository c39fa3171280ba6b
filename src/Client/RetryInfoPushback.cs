using System.Globalization;
using Google.Rpc;

namespace Pool.Client;

/// <summary>
/// Lets gRPC's retries honour Pool's <c>google.rpc.RetryInfo</c>. gRPC clients take a server's wish for the next attempt's
/// delay only from the <c>grpc-retry-pushback-ms</c> header (gRPC A6), while Pool says it in the <c>RetryInfo</c> detail of
/// its UNAVAILABLE answers (<c>grpc-status-details-bin</c>). This handler, under the channel, reads that detail from an
/// UNAVAILABLE answer that carries its status in the headers (a "trailers-only" answer, as every refusal before a first
/// message is) and adds the pushback header: the retry then waits the delay Pool asked for, capped at the client's maximum
/// backoff, instead of a random share of the exponential backoff.
/// </summary>
internal sealed class RetryInfoPushback(TimeSpan maxDelay) : DelegatingHandler
{
    public const string PushbackHeader = "grpc-retry-pushback-ms";
    private const string StatusHeader = "grpc-status";
    private const string DetailsHeader = "grpc-status-details-bin";
    private const string Unavailable = "14";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.Headers.Contains(PushbackHeader)
            && response.Headers.TryGetValues(StatusHeader, out var codes) && codes.FirstOrDefault() == Unavailable
            && response.Headers.TryGetValues(DetailsHeader, out var details)
            && DelayOf(details.FirstOrDefault()) is { } delay)
        {
            var milliseconds = (long)Math.Min(delay.TotalMilliseconds, maxDelay.TotalMilliseconds);
            response.Headers.TryAddWithoutValidation(PushbackHeader, milliseconds.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    /// <summary>The RetryInfo delay in a <c>grpc-status-details-bin</c> value (base64 of a google.rpc.Status), or null when there is none or it cannot be read.</summary>
    internal static TimeSpan? DelayOf(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        try
        {
            // gRPC's binary headers are base64, usually without padding.
            var padded = header.PadRight(header.Length + ((4 - (header.Length % 4)) % 4), '=');
            var status = Status.Parser.ParseFrom(Convert.FromBase64String(padded));
            var retryInfo = status.Details.FirstOrDefault(d => d.Is(RetryInfo.Descriptor))?.Unpack<RetryInfo>();
            return retryInfo?.RetryDelay is { } delay && delay.ToTimeSpan() >= TimeSpan.Zero ? delay.ToTimeSpan() : null;
        }
        catch (Exception ex) when (ex is FormatException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
