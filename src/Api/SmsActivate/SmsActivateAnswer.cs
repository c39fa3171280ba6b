using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Pool.Api.SmsActivate;

/// <summary>
/// One answer of the sms-activate endpoint: the HTTP status (200 for every answer the protocol defines,
/// refusals included), the body (a word such as "ACCESS_NUMBER:12:85251234567", or JSON), and for a
/// retryable answer the Retry-After delay.
/// </summary>
public sealed record SmsActivateAnswer(int StatusCode, string Body, string ContentType, TimeSpan? RetryAfter = null)
{
    public const string TextType = "text/plain; charset=utf-8";
    public const string JsonType = "application/json; charset=utf-8";

    /// <summary>The word alone (the protocol's answer or refusal), HTTP 200.</summary>
    public static SmsActivateAnswer Word(string word) => new(200, word, TextType);

    /// <summary>"WORD:value", HTTP 200.</summary>
    public static SmsActivateAnswer Word(string word, string value) => new(200, $"{word}:{value}", TextType);

    /// <summary>A JSON body written by <paramref name="write"/>, HTTP 200.</summary>
    public static SmsActivateAnswer Json(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return new(200, Encoding.UTF8.GetString(buffer.WrittenSpan), JsonType);
    }

    /// <summary>
    /// A transient fault (Pool's database or cluster is unavailable): HTTP 503 with Retry-After and the
    /// protocol's server-error word ERROR_SQL, so a client retries instead of reading NO_NUMBERS.
    /// </summary>
    public static SmsActivateAnswer Unavailable(TimeSpan retryAfter) => new(503, SmsActivateWords.ErrorSql, TextType, retryAfter);

    /// <summary>A fault that is not transient (a defect): HTTP 500 with ERROR_SQL.</summary>
    public static SmsActivateAnswer Failed() => new(500, SmsActivateWords.ErrorSql, TextType);
}
