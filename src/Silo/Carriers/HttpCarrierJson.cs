using System.Text.Json.Serialization;

namespace Pool.Silo.Carriers;

/// <summary>What Pool posts to an HTTP carrier to send an SMS.</summary>
public sealed record HttpSubmit(
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("text")] string Text);

/// <summary>The carrier's answer: its id of the message, which its receipt will name.</summary>
public sealed record HttpSubmitAnswer([property: JsonPropertyName("message_id")] string? MessageId);

/// <summary>A delivery receipt as an HTTP carrier posts it to Pool.</summary>
public sealed record HttpReceipt(
    [property: JsonPropertyName("message_id")] string MessageId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>An inbound SMS (or one part of it) as an HTTP carrier posts it to Pool.</summary>
public sealed record HttpInbound(
    [property: JsonPropertyName("message_id")] string MessageId,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("concat")] HttpConcat? Concat);

public sealed record HttpConcat(
    [property: JsonPropertyName("reference")] int Reference,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("part")] int Part);

[JsonSerializable(typeof(HttpSubmit))]
[JsonSerializable(typeof(HttpSubmitAnswer))]
[JsonSerializable(typeof(HttpReceipt))]
[JsonSerializable(typeof(HttpInbound))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class HttpCarrierJson : JsonSerializerContext;
