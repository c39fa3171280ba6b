using System.Globalization;
using System.Net;
using System.Text.Json;
using Pool.Carriers.Http;
using Pool.Sms.Encoding;

namespace Pool.Bench.Inbound;

/// <summary>
/// Verification SMS as an HTTP carrier posts them to <c>POST /carriers/{carrier}/messages</c>, signed
/// with the carrier's secret (the silo knows it as <c>Pool:Carriers:{carrier}:Secret</c>). Message n
/// carries the code 100000 + n, so each is told apart by its code on every path; one in four is Chinese
/// and sent as hex UCS-2, as carriers send non-GSM text. The carrier's message id is
/// "<paramref name="idPrefix"/>-n": Pool stores one message per id.
/// </summary>
internal sealed class CarrierMessages(string carrier, string secret, string idPrefix = "bench")
{
    /// <summary>Codes are six digits: this many messages, warm-up included, at most, before codes repeat.</summary>
    public const int MaxMessages = 900_000;

    /// <summary>The setting that gives the silo a carrier's secret.</summary>
    public static string SecretSetting(string carrier) => $"Pool:Carriers:{carrier}:Secret";

    public string Path => $"/carriers/{carrier}/messages";

    /// <summary>The code message <paramref name="n"/> carries: six digits, 100000 + n (repeating after <see cref="MaxMessages"/>).</summary>
    public static string CodeOf(long n) => (100_000 + (n % MaxMessages)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The signed request of message <paramref name="n"/> to <paramref name="number"/>.</summary>
    public HttpRequestMessage Request(long n, string number)
    {
        var code = CodeOf(n);
        var ucs2 = n % 4 == 3;
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["message_id"] = string.Create(CultureInfo.InvariantCulture, $"{idPrefix}-{n}"),
            ["from"] = ucs2 ? "QQ" : "Telegram",
            ["to"] = number,
            ["text"] = ucs2
                ? Convert.ToHexString(Ucs2.Encode($"【QQ阅读】您的验证码{code},该验证码5分钟内有效"))
                : $"Telegram code: {code}. Do not give this code to anyone.",
            ["encoding"] = ucs2 ? "ucs2" : "text",
        });
        return CarrierSignature.SignedPost(new Uri(Path, UriKind.Relative), secret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    /// <summary>
    /// Posts <paramref name="request"/> (made by <see cref="Request"/>) to the silo behind <paramref name="http"/>.
    /// Null when the carrier endpoint accepted the message and delivered it to a live lease (202, outcome
    /// "delivered"); else what went wrong, as an error label: "POST 4xx", "POST 202 unrouted", "POST ConnectionError".
    /// </summary>
    public static async Task<string?> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return $"POST {(int)response.StatusCode}";
            }

            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var outcome = answer.RootElement.TryGetProperty("outcome", out var value) ? value.GetString() : null;
            return outcome == "delivered" ? null : $"POST 202 {outcome}";
        }
        catch (HttpRequestException ex)
        {
            return $"POST {ex.HttpRequestError}";
        }
    }
}
