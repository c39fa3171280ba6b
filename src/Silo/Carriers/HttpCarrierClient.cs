using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Pool.Sms.Carriers;
using ContractsOutboundSms = Pool.Contracts.Routes.OutboundSms;
using ContractsSubmitResult = Pool.Contracts.Routes.SubmitResult;

namespace Pool.Silo.Carriers;

/// <summary>
/// One HTTP carrier connection (section Pool:Http:Connections:&lt;name&gt;). Pool posts each message to
/// <see cref="Url"/> signed like the carrier's own requests to Pool; the carrier answers with its
/// message id, and later posts the delivery receipt to /carriers/&lt;name&gt;/receipts, signed with the
/// same secret (Pool:Carriers:&lt;name&gt;:Secret).
/// </summary>
public sealed class HttpCarrierOptions
{
    public const string Section = "Pool:Http";

    /// <summary>The carrier's submit endpoint.</summary>
    public string Url { get; set; } = "";

    /// <summary>The shared HMAC secret.</summary>
    public string Secret { get; set; } = "";

    public string SourceAddress { get; set; } = "Pool";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate(string name)
    {
        var prefix = $"{Section}:Connections:{name}";
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{prefix}:Url '{Url}' is not an absolute http(s) URL";
        }

        if (Secret.Length < 32)
        {
            yield return $"{prefix}:Secret must be at least 32 characters";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"{prefix}:Timeout must be positive";
        }
    }
}

/// <summary>The sections of Pool:Http.</summary>
public sealed class HttpCarriersOptions
{
    public Dictionary<string, HttpCarrierOptions> Connections { get; } = new(StringComparer.Ordinal);
}

/// <summary>Submits messages to one HTTP carrier.</summary>
public sealed class HttpCarrierClient(string name, HttpCarrierOptions options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = options.Timeout,
    };

    public async Task<ContractsSubmitResult> SubmitAsync(ContractsOutboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var body = JsonSerializer.SerializeToUtf8Bytes(new HttpSubmit(sms.Reference, options.SourceAddress, sms.To, sms.Text), HttpCarrierJson.Default.HttpSubmit);
        using var request = CarrierSignature.SignedPost(new Uri(options.Url), options.Secret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var latency = Stopwatch.GetElapsedTime(started);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return ContractsSubmitResult.Throttled(latency, $"{name}: HTTP 429");
            }

            if (!response.IsSuccessStatusCode)
            {
                return ContractsSubmitResult.Failed(latency, $"{name} refused the message: HTTP {(int)response.StatusCode}");
            }

            var answer = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken), HttpCarrierJson.Default.HttpSubmitAnswer, cancellationToken);
            return answer?.MessageId is { Length: > 0 } id
                ? ContractsSubmitResult.Accepted(latency, id)
                : ContractsSubmitResult.Failed(latency, $"{name} answered without a message_id");
        }
        catch (HttpRequestException ex)
        {
            return ContractsSubmitResult.Failed(Stopwatch.GetElapsedTime(started), $"{name} is unreachable ({ex.HttpRequestError})");
        }
        catch (JsonException)
        {
            return ContractsSubmitResult.Failed(Stopwatch.GetElapsedTime(started), $"{name} answered something that is not JSON");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ContractsSubmitResult.TimedOut(Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose() => _http.Dispose();
}
