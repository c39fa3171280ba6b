using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pool.Carriers.Http;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Simulator;

/// <summary>
/// A simulated HTTP carrier, served by the silo's own web server at /simulator/&lt;name&gt;/sms: it takes
/// Pool's signed submits, answers with a message id, posts a signed delivery receipt back to Pool's
/// /carriers/&lt;name&gt;/receipts after a delay, and can post MO SMS to /carriers/&lt;name&gt;/messages. The
/// same faults as a simulated SMSC apply: latency, error rate (HTTP 500), throttling (HTTP 429),
/// outage (HTTP 503, no receipts) and failed receipts.
/// </summary>
public sealed partial class HttpCarrierSimulator(string name, string secret, Uri pool, TimeSpan receiptDelay, ILogger logger) : IDisposable
{
    private const int MaxRemembered = 10_000;

    private readonly HttpClient _http = new() { BaseAddress = pool, Timeout = TimeSpan.FromSeconds(10) };
    private readonly Queue<SimulatedSubmit> _submissions = new();
    private readonly Lock _lock = new();
    private SimulatorFaults _faults = SimulatorFaults.None;
    private int _ids;
    private int _throttled;
    private int _submitted;

    public string Name { get; } = name;

    public SimulatorFaults Faults => Volatile.Read(ref _faults);

    public int Submitted => Volatile.Read(ref _submitted);

    public int ThrottledAnswers => Volatile.Read(ref _throttled);

    /// <summary>The latest submits (up to 10 000), oldest first.</summary>
    public IReadOnlyList<SimulatedSubmit> Submissions
    {
        get
        {
            lock (_lock)
            {
                return [.. _submissions];
            }
        }
    }

    public void SetFaults(SimulatorFaults faults) => Volatile.Write(ref _faults, faults);

    /// <summary>POST /simulator/{name}/sms: one submit from Pool.</summary>
    public async Task<IResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var faults = Faults;
        if (faults.Outage)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(faults.Latency, cancellationToken);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (!long.TryParse(request.Headers[CarrierSignature.TimestampHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || !CarrierSignature.Verify(secret, timestamp, body, request.Headers[CarrierSignature.SignatureHeader].ToString()))
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        HttpSubmit? submit;
        try
        {
            submit = JsonSerializer.Deserialize(body, CarrierJson.Default.HttpSubmit);
        }
        catch (JsonException)
        {
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }

        if (submit is null)
        {
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }

#pragma warning disable CA5394 // Fault injection, not security: a plain random draw is what is wanted.
        if (Random.Shared.NextDouble() < faults.ThrottleRate)
        {
            Interlocked.Increment(ref _throttled);
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        if (Random.Shared.NextDouble() < faults.SubmitErrorRate)
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        var delivered = Random.Shared.NextDouble() >= faults.DlrFailureRate;
#pragma warning restore CA5394
        var id = $"h{Interlocked.Increment(ref _ids):D8}";
        Interlocked.Increment(ref _submitted);
        lock (_lock)
        {
            _submissions.Enqueue(new SimulatedSubmit(id, submit.From, submit.To, submit.Text, 0, null, DateTimeOffset.UtcNow));
            while (_submissions.Count > MaxRemembered)
            {
                _submissions.Dequeue();
            }
        }

        _ = Task.Run(() => SendReceiptAsync(id, delivered), CancellationToken.None);
        return Results.Json(new HttpSubmitAnswer(id), CarrierJson.Default.HttpSubmitAnswer);
    }

    /// <summary>Posts an MO SMS to Pool, in parts when it is long; returns how many posts it took.</summary>
    public async Task<int> SendMoAsync(string sender, string recipient, string text, CancellationToken cancellationToken)
    {
        var id = $"hmo{Interlocked.Increment(ref _ids):D8}";
        var reference = (byte)(_ids & 0xFF);
        var parts = MessageSplitter.Split(text, reference).Parts;
        foreach (var part in parts)
        {
            var inbound = new CarrierMessage(
                parts.Count == 1 ? id : $"{id}-{part.Sequence}", sender, recipient, part.Text, Encoding: null, Timestamp: null,
                parts.Count == 1 ? null : new CarrierConcatenation(reference, part.Total, part.Sequence));
            await PostAsync($"carriers/{Uri.EscapeDataString(Name)}/messages", JsonSerializer.SerializeToUtf8Bytes(inbound, CarrierJson.Default.CarrierMessage), cancellationToken);
        }

        return parts.Count;
    }

    public void Dispose() => _http.Dispose();

    private async Task SendReceiptAsync(string id, bool delivered)
    {
        try
        {
            await Task.Delay(receiptDelay);
            if (Faults.Outage)
            {
                return;
            }

            var receipt = new CarrierReceipt(id, delivered ? "delivered" : "undelivered", delivered ? null : "simulated delivery failure");
            await PostAsync($"carriers/{Uri.EscapeDataString(Name)}/receipts", JsonSerializer.SerializeToUtf8Bytes(receipt, CarrierJson.Default.CarrierReceipt), CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            LogReceiptLost(logger, Name, id, ex.Message);
        }
    }

    private async Task PostAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        using var request = CarrierSignature.SignedPost(new Uri(path, UriKind.Relative), secret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Pool answered {(int)response.StatusCode} to {path}");
        }
    }

    [LoggerMessage(EventId = 7263, Level = LogLevel.Warning, Message = "Simulated HTTP carrier {Route} could not deliver the receipt of {MessageId}: {Reason}")]
    private static partial void LogReceiptLost(ILogger logger, string route, string messageId, string reason);
}
