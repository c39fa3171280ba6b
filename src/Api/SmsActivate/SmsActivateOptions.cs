using System.Collections.Frozen;
using System.Globalization;
using Pool.Contracts.Leases;

namespace Pool.Api.SmsActivate;

/// <summary>
/// Settings of the sms-activate endpoint ("Pool:SmsActivate"). The protocol's service codes and numeric
/// country ids map to Pool's service names and ISO countries: <see cref="SmsActivateDefaults"/> ships the
/// common ones, and each entry here adds a mapping or replaces a shipped one
/// ("Pool:SmsActivate:Services:tg" = "telegram", "Pool:SmsActivate:Countries:14" = "HK"); an empty value
/// removes a shipped one. Checked at start by <see cref="Validate"/>: a bad entry stops the process.
/// </summary>
public sealed class SmsActivateOptions
{
    public const string Section = "Pool:SmsActivate";

    /// <summary>Longest service code accepted (the protocol's are 2-4 characters).</summary>
    public const int MaxServiceCode = 16;

    /// <summary>Largest country id accepted.</summary>
    public const int MaxCountryId = 9999;

    /// <summary>Service code → Pool service name, over <see cref="SmsActivateDefaults.Services"/>.</summary>
    public Dictionary<string, string> Services { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Country id (decimal) → ISO 3166-1 alpha-2 country, over <see cref="SmsActivateDefaults.Countries"/>.</summary>
    public Dictionary<string, string> Countries { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long after getNumber a cancel (setStatus 8) is refused with EARLY_CANCEL_DENIED. The protocol
    /// refuses cancels in the first 2 minutes because its seller refunds them; Pool charges nothing, so
    /// the default is 0 (off). At most 20 minutes.
    /// </summary>
    public TimeSpan EarlyCancelDenial { get; init; } = TimeSpan.Zero;

    /// <summary>Every problem of these settings, each naming its setting.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (code, service) in Services)
        {
            if (!IsServiceCode(code))
            {
                yield return $"{Section}:Services:{code}: '{code}' is not a service code: 1-{MaxServiceCode} lowercase letters, digits or '_'";
            }

            if (service.Length > 0 && !ServiceName.TryNormalize(service, out _, out var error))
            {
                yield return $"{Section}:Services:{code}: the service name {error}";
            }
        }

        foreach (var (id, country) in Countries)
        {
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > MaxCountryId || number.ToString(CultureInfo.InvariantCulture) != id)
            {
                yield return $"{Section}:Countries:{id}: '{id}' is not a country id: a whole number from 0 to {MaxCountryId}";
            }

            if (country.Length > 0 && !Sms.Numbers.Country.TryNormalize(country, out _, out var error))
            {
                yield return $"{Section}:Countries:{id}: {error}";
            }
        }

        if (EarlyCancelDenial < TimeSpan.Zero || EarlyCancelDenial > TimeSpan.FromMinutes(20))
        {
            yield return $"{Section}:EarlyCancelDenial: {EarlyCancelDenial} is out of range (00:00:00 to 00:20:00)";
        }
    }

    /// <summary>The effective service table: the defaults, then these entries (an empty value removes one).</summary>
    public FrozenDictionary<string, string> ServiceTable() => Merge(SmsActivateDefaults.Services, Services, v => ServiceName.TryNormalize(v, out var s, out _) ? s : v);

    /// <summary>The effective country table (id → ISO country), defaults then these entries.</summary>
    public FrozenDictionary<int, string> CountryTable()
    {
        var byText = Merge(
            SmsActivateDefaults.Countries.ToDictionary(c => c.Key.ToString(CultureInfo.InvariantCulture), c => c.Value.Iso, StringComparer.Ordinal),
            Countries,
            v => v.Trim().ToUpperInvariant());
        return byText.ToFrozenDictionary(c => int.Parse(c.Key, CultureInfo.InvariantCulture), c => c.Value);
    }

    public static bool IsServiceCode(string code) =>
        code.Length is >= 1 and <= MaxServiceCode && code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    private static FrozenDictionary<string, string> Merge(IReadOnlyDictionary<string, string> defaults, Dictionary<string, string> overrides, Func<string, string> normalize)
    {
        var table = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            if (value.Length == 0)
            {
                table.Remove(key);
            }
            else
            {
                table[key] = normalize(value);
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
