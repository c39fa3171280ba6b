namespace Pool.Carriers.Http;

/// <summary>Section "Pool:Carriers": HTTP carriers allowed to deliver inbound SMS, each with its signing secret.</summary>
public sealed class CarrierIngressOptions
{
    public const string Section = "Pool:Carriers";

    /// <summary>Carrier name → its settings. A carrier not listed here is refused.</summary>
    public Dictionary<string, CarrierOptions> Carriers { get; } = new(StringComparer.Ordinal);

    /// <summary>How far a request's timestamp may be from now (both ways).</summary>
    public static readonly TimeSpan TimestampWindow = TimeSpan.FromMinutes(5);
}

public sealed class CarrierOptions
{
    /// <summary>The shared secret the carrier signs requests with (HMAC-SHA256); at least 32 characters.</summary>
    public string Secret { get; set; } = "";
}
