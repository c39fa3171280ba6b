using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;
using Pool.Contracts.Tracing;
using Pool.Sms.Encoding;
using Pool.Sms.Logging;
using Pool.Sms.Numbers;

namespace Pool.Carriers.Http;

/// <summary>
/// POST /carriers/{carrier}/messages: inbound SMS from HTTP carriers. A request is accepted only with a
/// valid signature of that carrier made within the timestamp window, and a signature is accepted once
/// (a replay is refused); anything refused stores nothing. A message the carrier already delivered
/// (same message id) is acknowledged again without being stored twice.
/// </summary>
public static partial class CarrierIngress
{
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapCarrierIngress(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/carriers/{carrier}/messages", HandleAsync);
        endpoints.MapPost("/carriers/{carrier}/receipts", HandleReceiptAsync);
        return endpoints;
    }

    /// <summary>
    /// The body of a request signed by <paramref name="carrier"/> within the window and never seen
    /// before; otherwise the refusal to answer (nothing is stored).
    /// </summary>
    private static async Task<(byte[]? Body, string Signature, IResult? Refusal)> AuthenticateAsync(
        string carrier, HttpRequest request, CarrierIngressOptions options, ReplayGuard replays, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.Carriers.TryGetValue(carrier, out var settings) || settings.Secret.Length == 0)
        {
            return (null, "", Refuse(logger, carrier, "unknown carrier"));
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return (null, "", Results.Problem($"the body must be at most {MaxBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge));
        }

        if (!long.TryParse(request.Headers[CarrierSignature.TimestampHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return (null, "", Refuse(logger, carrier, $"missing or malformed {CarrierSignature.TimestampHeader}"));
        }

        var now = time.GetUtcNow();
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > CarrierIngressOptions.TimestampWindow.TotalSeconds)
        {
            return (null, "", Refuse(logger, carrier, "timestamp outside the allowed window"));
        }

        var signature = request.Headers[CarrierSignature.SignatureHeader].ToString();
        if (signature.Length == 0 || !CarrierSignature.Verify(settings.Secret, timestamp, body, signature))
        {
            return (null, "", Refuse(logger, carrier, "bad signature"));
        }

        return replays.FirstUse(signature, now) ? (body, signature, null) : (null, "", Refuse(logger, carrier, "replayed signature"));
    }

    /// <summary>The JSON body of an authenticated request of <paramref name="carrier"/>, or the refusal to answer.</summary>
    private static async Task<(T? Value, string Signature, IResult? Refusal)> ReadSignedAsync<T>(
        string carrier, HttpRequest request, IOptions<CarrierIngressOptions> options, ReplayGuard replays, TimeProvider time, ILoggerFactory loggers,
        JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var (body, signature, refusal) = await AuthenticateAsync(carrier, request, options.Value, replays, time, loggers.CreateLogger(typeof(CarrierIngress)), cancellationToken);
        if (refusal is not null)
        {
            return (default, signature, refusal);
        }

        try
        {
            return (JsonSerializer.Deserialize(body, type), signature, null);
        }
        catch (JsonException ex)
        {
            return (default, signature, Results.Problem($"the body is not valid JSON: {LogRedaction.Quote(ex.Message, 200)}", statusCode: StatusCodes.Status400BadRequest));
        }
    }

    private static async Task<IResult> HandleAsync(
        string carrier, HttpRequest request, IOptions<CarrierIngressOptions> options, ReplayGuard replays,
        IGrainFactory grains, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var span = PoolActivity.Source.StartActivity(PoolActivity.InboundReceive);
        span?.SetTag(PoolActivity.CarrierTag, carrier).SetTag(PoolActivity.ChannelTag, "http");
        var (parsed, signature, refusal) = await ReadSignedAsync(carrier, request, options, replays, time, loggers, CarrierJson.Default.CarrierMessage, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = time.GetUtcNow();

        var problems = new List<string>();
        if (parsed is null || string.IsNullOrWhiteSpace(parsed.MessageId) || parsed.MessageId.Length > 128 || parsed.MessageId.Any(char.IsControl))
        {
            problems.Add("message_id is required (1-128 characters, no control characters)");
        }

        if (!E164.TryParse(parsed?.To, out var to, out var toError))
        {
            problems.Add($"to {LogRedaction.Quote(toError, 120)}");
        }

        if (string.IsNullOrWhiteSpace(parsed?.From) || parsed.From.Length > 32 || parsed.From.Any(char.IsControl))
        {
            problems.Add("from is required (the sender: a number or an alphanumeric id, up to 32 characters, no control characters)");
        }

        var text = Decode(parsed, problems);
        var part = Part(parsed, problems);
        if (problems.Count > 0)
        {
            return Results.Problem(string.Join("; ", problems), statusCode: StatusCodes.Status400BadRequest);
        }

        var message = new InboundMessage(carrier, parsed!.MessageId!, parsed.From!, to!, text!, parsed.Timestamp ?? now);
        span?.SetTag(PoolActivity.KindTag, part is null ? "mo" : "part");
        InboundResult result;
        try
        {
            result = part is { } concat
                ? await AddPartAsync(grains, new InboundPart(message, concat.Reference, concat.Total, concat.Part), cancellationToken)
                : await grains.GetGrain<IInboundGrain>(0).AcceptAsync(message).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            replays.Release(signature);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, Unavailable(ex));
            return Results.Problem($"{Unavailable(ex)} (nothing was lost: send the message again)", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        span?.SetTag(PoolActivity.MessageIdTag, result.MessageId).SetTag(PoolActivity.OutcomeTag, result.Outcome.ToString().ToLowerInvariant());

        return Results.Json(
            new CarrierAnswer(result.MessageId, result.Outcome switch
            {
                InboundOutcome.PartAccepted => "part_accepted",
                var outcome => outcome.ToString().ToLowerInvariant(),
            }),
            CarrierJson.Default.CarrierAnswer,
            statusCode: result.Outcome == InboundOutcome.Duplicate ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    private static Task<InboundResult> AddPartAsync(IGrainFactory grains, InboundPart part, CancellationToken cancellationToken) =>
        grains.GetGrain<IConcatenationGrain>(ConcatenationKeys.Of(part)).AddPartAsync(part).WaitAsync(cancellationToken);

    /// <summary>
    /// POST /carriers/{carrier}/receipts: a delivery receipt for a message Pool submitted to an HTTP
    /// carrier, signed like an inbound message; it updates the route's health and the verification.
    /// </summary>
    private static async Task<IResult> HandleReceiptAsync(
        string carrier, HttpRequest request, IOptions<CarrierIngressOptions> options, ReplayGuard replays,
        IGrainFactory grains, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (receipt, signature, refusal) = await ReadSignedAsync(carrier, request, options, replays, time, loggers, CarrierJson.Default.CarrierReceipt, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (receipt?.MessageId is not { Length: > 0 and <= 128 } messageId || messageId.Any(char.IsControl))
        {
            return Results.Problem("message_id is required (1-128 characters, no control characters)", statusCode: StatusCodes.Status400BadRequest);
        }

        if (receipt.Status is not ("delivered" or "undelivered" or "expired" or "rejected" or "failed"))
        {
            return Results.Problem($"status '{LogRedaction.Quote(receipt.Status, 32)}' is not one of delivered, undelivered, expired, rejected, failed", statusCode: StatusCodes.Status400BadRequest);
        }

        var delivered = receipt.Status == "delivered";
        var report = new StatusReport(
            carrier, messageId, StatusReportKind.DeliveryReceipt, receipt.Status.ToUpperInvariant(), Final: true, delivered,
            delivered ? null : receipt.Error ?? receipt.Status, time.GetUtcNow());
        StatusReportOutcome outcome;
        try
        {
            outcome = await grains.GetGrain<IOutboundReceiptGrain>(0).RecordAsync(report).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            replays.Release(signature);
            return Results.Problem($"{Unavailable(ex)} (nothing was lost: send the receipt again)", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Json(new CarrierReceiptAnswer(messageId, outcome.ToString().ToLowerInvariant()), CarrierJson.Default.CarrierReceiptAnswer);
    }

    /// <summary>The part numbering of one part of a concatenated message; null for a whole message.</summary>
    private static CarrierConcatenation? Part(CarrierMessage? message, List<string> problems)
    {
        if (message?.Concat is not { } concat)
        {
            return null;
        }

        if (concat.Reference is < 0 or > 65535)
        {
            problems.Add($"concat.reference {concat.Reference} is out of range 0-65535");
        }

        if (concat.Total is < 1 or > Concatenation.MaxParts)
        {
            problems.Add($"concat.total {concat.Total} is out of range 1-{Concatenation.MaxParts}");
        }
        else if (concat.Part < 1 || concat.Part > concat.Total)
        {
            problems.Add($"concat.part {concat.Part} is out of range 1-{concat.Total}");
        }

        return concat;
    }

    /// <summary>The text of the message: plain text, or hex-encoded UCS-2 or unpacked GSM 7-bit septets.</summary>
    private static string? Decode(CarrierMessage? message, List<string> problems)
    {
        if (message?.Text is not { } text)
        {
            problems.Add("text is required");
            return null;
        }

        try
        {
            return (message.Encoding ?? "text") switch
            {
                "text" => text,
                "ucs2" => Ucs2.TryDecode(Convert.FromHexString(text), out var ucs2, out var error) ? ucs2 : Fail($"text is not UCS-2: {error}"),
                "gsm7" => Gsm7.TryDecode(Convert.FromHexString(text), out var gsm, out var position) ? gsm : Fail($"text has an invalid GSM 7-bit septet at {position}"),
                var other => Fail($"encoding '{LogRedaction.Quote(other, 32)}' is not one of text, ucs2, gsm7"),
            };
        }
        catch (FormatException)
        {
            return Fail("text must be hexadecimal for the ucs2 and gsm7 encodings");
        }

        string? Fail(string problem)
        {
            problems.Add(problem);
            return null;
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A fault that says nothing about the request: the cluster could not store it now (the database
    /// down, a silo lost, a call timed out). The carrier is answered 503 and sends it again; a retry of
    /// what was in fact stored is recognised as a duplicate.
    /// </summary>
    private static bool IsTransient(Exception ex) =>
        ex is PoolException { Code: PoolErrorCode.Unavailable } or TimeoutException or Orleans.Runtime.OrleansException;

    /// <summary>What a 503 says: Pool's own words, never a driver's or the runtime's (which can name grains, and so numbers).</summary>
    private static string Unavailable(Exception ex) => ex is PoolException pool ? pool.Message : "the cluster could not store it now";

    private static IResult Refuse(ILogger logger, string carrier, string reason)
    {
        LogRefused(logger, carrier, reason);
        return Results.Problem($"unauthenticated carrier request: {reason}", statusCode: StatusCodes.Status401Unauthorized);
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Carrier request for {Carrier} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string carrier, string reason);
}
