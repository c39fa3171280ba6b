using System.Text.Json.Serialization;

namespace Pool.Carriers.Http;

// The JSON of Pool's HTTP carrier interface, both ways: what Pool posts to a carrier to send an SMS,
// and what a carrier posts to Pool (inbound SMS, delivery receipts) with Pool's answers.

/// <summary>What Pool posts to an HTTP carrier to send an SMS.</summary>
public sealed record HttpSubmit(
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("text")] string Text);

/// <summary>The carrier's answer: its id of the message, which its receipt will name.</summary>
public sealed record HttpSubmitAnswer([property: JsonPropertyName("message_id")] string? MessageId);

/// <summary>An inbound SMS (or one part of it) as an HTTP carrier posts it to POST /carriers/{carrier}/messages.</summary>
public sealed record CarrierMessage(
    [property: JsonPropertyName("message_id")] string? MessageId,
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("encoding")] string? Encoding,
    [property: JsonPropertyName("timestamp")] DateTimeOffset? Timestamp,
    [property: JsonPropertyName("concat")] CarrierConcatenation? Concat = null);

/// <summary>Where a part belongs when a carrier posts a concatenated SMS part by part (UDH or SAR numbering).</summary>
public sealed record CarrierConcatenation(
    [property: JsonPropertyName("reference")] int Reference,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("part")] int Part);

/// <summary>A delivery receipt a carrier posts for a message Pool submitted to it.</summary>
public sealed record CarrierReceipt(
    [property: JsonPropertyName("message_id")] string? MessageId,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("error")] string? Error = null);

/// <summary>What Pool answers a receipt: "recorded", or "ignored" (unknown message, or a receipt already recorded).</summary>
public sealed record CarrierReceiptAnswer([property: JsonPropertyName("message_id")] string MessageId, [property: JsonPropertyName("outcome")] string Outcome);

/// <summary>What Pool answers a carrier.</summary>
public sealed record CarrierAnswer([property: JsonPropertyName("message_id")] string MessageId, [property: JsonPropertyName("outcome")] string Outcome);

[JsonSerializable(typeof(HttpSubmit))]
[JsonSerializable(typeof(HttpSubmitAnswer))]
[JsonSerializable(typeof(CarrierMessage))]
[JsonSerializable(typeof(CarrierConcatenation))]
[JsonSerializable(typeof(CarrierReceipt))]
[JsonSerializable(typeof(CarrierReceiptAnswer))]
[JsonSerializable(typeof(CarrierAnswer))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CarrierJson : JsonSerializerContext;
