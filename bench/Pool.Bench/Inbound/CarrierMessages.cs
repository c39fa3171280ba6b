using System.Globalization;
using System.Text.Json;
using Pool.Carriers.Http;
using Pool.Sms.Encoding;

namespace Pool.Bench.Inbound;

/// <summary>
/// Verification SMS as an HTTP carrier posts them to <c>POST /carriers/{carrier}/messages</c>, signed
/// with the carrier's secret. Message n carries the code 100000 + n, so each is told apart by its code
/// on every path; one in four is Chinese and sent as hex UCS-2, as carriers send non-GSM text.
/// </summary>
internal sealed class CarrierMessages(string carrier, string secret)
{
    /// <summary>Codes are six digits: this many messages, warm-up included, at most.</summary>
    public const int MaxMessages = 900_000;

    public string Path => $"/carriers/{carrier}/messages";

    public static string CodeOf(int n) => (100_000 + n).ToString(CultureInfo.InvariantCulture);

    /// <summary>The signed request of message <paramref name="n"/> to <paramref name="number"/>.</summary>
    public HttpRequestMessage Request(int n, string number)
    {
        var code = CodeOf(n);
        var ucs2 = n % 4 == 3;
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["message_id"] = $"bench-{n}",
            ["from"] = ucs2 ? "QQ" : "Telegram",
            ["to"] = number,
            ["text"] = ucs2
                ? Convert.ToHexString(Ucs2.Encode($"【QQ阅读】您的验证码{code},该验证码5分钟内有效"))
                : $"Telegram code: {code}. Do not give this code to anyone.",
            ["encoding"] = ucs2 ? "ucs2" : "text",
        });
        return CarrierSignature.SignedPost(new Uri(Path, UriKind.Relative), secret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
