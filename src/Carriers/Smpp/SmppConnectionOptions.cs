namespace Pool.Carriers.Smpp;

/// <summary>
/// Pool's SMPP binds (section Pool:Smpp:Connections:&lt;name&gt;). A route names its connection; the
/// connection's name is also the carrier name of the MO messages that arrive on it.
/// </summary>
public sealed class SmppConnectionsOptions
{
    public const string Section = "Pool:Smpp";

    public Dictionary<string, SmppConnectionOptions> Connections { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One SMPP bind: the ESME settings (host, port, credentials, window, keep-alive, reconnection) and the
/// sender shown on outbound messages.
/// </summary>
public sealed class SmppConnectionOptions : EsmeOptions
{
    /// <summary>The source address of outbound messages (an alphanumeric sender id or a number).</summary>
    public string SourceAddress { get; set; } = "Pool";

    /// <summary>
    /// The ISO 3166 region (e.g. "HK") whose numbering plan reads addresses this SMSC sends in national
    /// form (TON 2 national, TON 4 subscriber, or TON 0 without a country code); empty: such an address is
    /// stored as unroutable. Pool:Smpp:Connections:&lt;name&gt;:Country.
    /// </summary>
    public string Country { get; set; } = "";

    /// <summary>The normalised <see cref="Country"/> ("hk" → "HK"), or null when none is set.</summary>
    public string? Region => Pool.Sms.Numbers.Country.TryNormalize(Country, out var region, out _) ? region : null;

    /// <summary>The ESME settings' problems and the connection's own (<see cref="Country"/> empty or a region with phone numbers), each naming the setting.</summary>
    public IReadOnlyList<string> ValidateConnection()
    {
        var problems = new List<string>(Validate());
        if (Country.Length > 0 && !Pool.Sms.Numbers.Country.TryNormalize(Country, out _, out var error))
        {
            problems.Add($"{nameof(Country)} {error}.");
        }

        return problems;
    }
}
