using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Pool.Carriers.Http;

namespace Pool.Resilience.Tests;

/// <summary>An inbound SMS the carrier posted, and Pool's final answer to it.</summary>
/// <param name="Outcome">The answer's word ("delivered", "unsolicited", "duplicate"), or null when Pool never accepted it.</param>
public sealed record SentSms(string MessageId, string Number, string LeaseId, bool Accepted, string? Outcome, int Attempts);

/// <summary>
/// An HTTP carrier posting inbound SMS to Pool's signed endpoint the way carriers do: a 503 or a failed
/// connection is sent again (to the next silo) with the same message id, a 2xx is accepted. Bounded
/// like <see cref="RetryingClient"/>.
/// </summary>
public sealed class CarrierSender(IReadOnlyList<Uri> addresses, string carrier, string secret) : IDisposable
{
    private static readonly TimeSpan s_backoff = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentQueue<SentSms> _sent = new();

    public IReadOnlyCollection<SentSms> Sent => _sent;

    public async Task SendAsync(string messageId, string number, string leaseId, string text, int affinity)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["message_id"] = messageId,
            ["from"] = "Telegram",
            ["to"] = number,
            ["text"] = text,
            ["encoding"] = "text",
        });
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            var address = addresses[(affinity + attempt - 1) % addresses.Count];
            try
            {
                using var request = CarrierSignature.SignedPost(new Uri(address, $"/carriers/{carrier}/messages"), secret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                using var response = await _http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var outcome = answer.RootElement.TryGetProperty("outcome", out var value) ? value.GetString() : answer.RootElement.ToString();
                    _sent.Enqueue(new SentSms(messageId, number, leaseId, true, outcome, attempt));
                    return;
                }

                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    _sent.Enqueue(new SentSms(messageId, number, leaseId, false, $"HTTP {(int)response.StatusCode}", attempt));
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not answered: send it again, as a carrier does.
            }

            if (attempt >= RetryingClient.MaxAttempts || DateTime.UtcNow - started >= RetryingClient.Budget)
            {
                _sent.Enqueue(new SentSms(messageId, number, leaseId, false, null, attempt));
                return;
            }

            await Task.Delay(s_backoff * attempt);
        }
    }

    public void Dispose() => _http.Dispose();
}
