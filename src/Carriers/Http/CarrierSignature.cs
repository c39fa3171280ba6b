using System.Globalization;
using System.Security.Cryptography;

namespace Pool.Carriers.Http;

/// <summary>
/// Signed carrier requests: header <c>X-Pool-Timestamp</c> (Unix seconds) and
/// <c>X-Pool-Signature: v1=&lt;hex HMAC-SHA256(secret, "{timestamp}.{body}")&gt;</c>.
/// </summary>
public static class CarrierSignature
{
    public const string TimestampHeader = "X-Pool-Timestamp";
    public const string SignatureHeader = "X-Pool-Signature";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = System.Text.Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), payload));
    }

    /// <summary>A POST of the JSON <paramref name="body"/> to <paramref name="uri"/>, signed with <paramref name="secret"/> at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static HttpRequestMessage SignedPost(Uri uri, string secret, byte[] body, long timestamp)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, Sign(secret, timestamp, body));
        return request;
    }

    /// <summary>Whether <paramref name="presented"/> is the signature of the request, compared in constant time.</summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string presented) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), System.Text.Encoding.ASCII.GetBytes(presented));
}
