namespace Pool.Carriers.Http;

/// <summary>
/// One HTTP carrier connection (section Pool:Http:Connections:&lt;name&gt;). Pool posts each message to
/// <see cref="Url"/> signed like the carrier's own requests to Pool; the carrier answers with its
/// message id, and later posts the delivery receipt to /carriers/&lt;name&gt;/receipts, signed with the
/// same secret (Pool:Carriers:&lt;name&gt;:Secret).
/// </summary>
public sealed class HttpCarrierOptions
{
    public const string Section = "Pool:Http";

    /// <summary>The carrier's submit endpoint.</summary>
    public string Url { get; set; } = "";

    /// <summary>The shared HMAC secret.</summary>
    public string Secret { get; set; } = "";

    public string SourceAddress { get; set; } = "Pool";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate(string name)
    {
        var prefix = $"{Section}:Connections:{name}";
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{prefix}:Url is not an absolute http(s) URL"; // Not quoted: a URL can carry a key.
        }

        if (Secret.Length < 32)
        {
            yield return $"{prefix}:Secret must be at least 32 characters";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"{prefix}:Timeout must be positive";
        }
    }
}

/// <summary>The sections of Pool:Http.</summary>
public sealed class HttpCarriersOptions
{
    public Dictionary<string, HttpCarrierOptions> Connections { get; } = new(StringComparer.Ordinal);
}
