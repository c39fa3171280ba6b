using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pool.Contracts.Inbound;

namespace Pool.Grains.Webhooks;

/// <summary>What an endpoint answered one attempt: its status code, or the error that stopped the request.</summary>
public sealed record WebhookAttempt(int? StatusCode, string? Error, TimeSpan Elapsed)
{
    public bool Success => StatusCode is >= 200 and < 300;

    public bool Gone => StatusCode == (int)HttpStatusCode.Gone;

    public string Describe() => Error ?? $"HTTP {StatusCode}";
}

/// <summary>Builds webhook bodies and posts them, signed (Standard Webhooks). No redirects are followed.</summary>
public sealed class WebhookSender : IDisposable
{
    public const string MessageReceived = "message.received";
    public const string Test = "webhook.test";

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<WebhookOptions> options, [FromKeyedServices(PoolClock.Key)] TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = options.Value.RequestTimeout,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Pool-Webhooks", "1"));
    }

    /// <summary>The body of a message.received event.</summary>
    public byte[] MessageBody(StoredMessage message, string number) => Body(MessageReceived, writer =>
    {
        writer.WriteString("message_id", message.MessageId);
        writer.WriteString("lease_id", message.LeaseId);
        writer.WriteString("number", number);
        writer.WriteString("sender", message.SenderMasked);
        if (message.TextPurged)
        {
            writer.WriteNull("text");
        }
        else
        {
            writer.WriteString("text", message.Text);
        }

        writer.WriteBoolean("text_purged", message.TextPurged);
        writer.WriteBoolean("incomplete", message.Incomplete);
        writer.WriteString("code", message.Code);
        writer.WriteString("service", message.Service);
        writer.WriteString("received_at", message.ReceivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteNumber("cursor", message.Cursor);
    });

    /// <summary>The body of a webhook.test event.</summary>
    public byte[] TestBody(string endpointId) => Body(Test, writer => writer.WriteString("endpoint_id", endpointId));

    public async Task<WebhookAttempt> PostAsync(string url, string secret, string eventId, byte[] body, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.IdHeader, eventId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, eventId, timestamp, body));
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new WebhookAttempt((int)response.StatusCode, null, Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttempt(null, $"request failed: {ex.HttpRequestError}", Stopwatch.GetElapsedTime(started));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, $"no answer within {_http.Timeout.TotalSeconds:0} s", Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose() => _http.Dispose();

    private byte[] Body(string type, Action<Utf8JsonWriter> data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("timestamp", _time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteStartObject("data");
            data(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
