using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Pool.Contracts.Routes;

namespace Pool.Carriers.Http;

/// <summary>Submits messages to one HTTP carrier.</summary>
public sealed class HttpCarrierClient(string name, HttpCarrierOptions options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = options.Timeout,
    };

    public async Task<SubmitResult> SubmitAsync(OutboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var body = JsonSerializer.SerializeToUtf8Bytes(new HttpSubmit(sms.Reference, options.SourceAddress, sms.To, sms.Text), CarrierJson.Default.HttpSubmit);
        using var request = CarrierSignature.SignedPost(new Uri(options.Url), options.Secret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var latency = Stopwatch.GetElapsedTime(started);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return SubmitResult.Throttled(latency, $"{name}: HTTP 429");
            }

            if (!response.IsSuccessStatusCode)
            {
                return SubmitResult.Failed(latency, $"{name} refused the message: HTTP {(int)response.StatusCode}");
            }

            var answer = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken), CarrierJson.Default.HttpSubmitAnswer, cancellationToken);
            return answer?.MessageId is { Length: > 0 } id
                ? SubmitResult.Accepted(latency, id)
                : SubmitResult.Failed(latency, $"{name} answered without a message_id");
        }
        catch (HttpRequestException ex)
        {
            return SubmitResult.Failed(Stopwatch.GetElapsedTime(started), $"{name} is unreachable ({ex.HttpRequestError})");
        }
        catch (JsonException)
        {
            return SubmitResult.Failed(Stopwatch.GetElapsedTime(started), $"{name} answered something that is not JSON");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SubmitResult.TimedOut(Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose() => _http.Dispose();
}
