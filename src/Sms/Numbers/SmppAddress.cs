using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Pool.Sms.Numbers;

/// <summary>
/// An SMPP address with its type of number and numbering plan indicator (SMPP 3.4 §5.2.5, §5.2.6), as
/// it goes in source_addr / destination_addr and their _ton / _npi fields.
/// </summary>
/// <param name="Ton">0 unknown, 1 international, 2 national, 3 network specific, 4 subscriber number, 5 alphanumeric, 6 abbreviated.</param>
/// <param name="Npi">0 unknown, 1 ISDN (E.163/E.164), 3 data (X.121), 4 telex (F.69), 6 land mobile (E.212), 8 national, 9 private, 10 ERMES, 14 Internet (IP), 18 WAP client id.</param>
/// <param name="Address">The address characters.</param>
public sealed record SmppAddress(byte Ton, byte Npi, string Address)
{
    public const byte TonUnknown = 0;
    public const byte TonInternational = 1;
    public const byte TonNational = 2;
    public const byte TonNetworkSpecific = 3;
    public const byte TonSubscriberNumber = 4;
    public const byte TonAlphanumeric = 5;
    public const byte TonAbbreviated = 6;

    public const byte NpiUnknown = 0;
    public const byte NpiIsdn = 1;

    /// <summary>The most characters of an alphanumeric address: 11 GSM 7-bit characters fill the 10 octets of a TP address (TS 23.040 §9.1.2.5).</summary>
    public const int MaxAlphanumericLength = 11;

    /// <summary>The most characters of a submit_sm / deliver_sm address (21 octets with the NUL, §4.4.1).</summary>
    public const int MaxAddressLength = 20;

    private const int MaxE164Digits = 15;
    private static readonly PhoneNumberUtil s_util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Reads an address an SMSC sent as an E.164 number (<c>+85251880000</c>).
    /// <list type="bullet">
    /// <item>TON 1 international: the digits after an optional '+' or "00" prefix, 15 at most (E.164).</item>
    /// <item>TON 2 national and TON 4 subscriber number: parsed in <paramref name="defaultRegion"/> (ISO 3166-1 alpha-2, e.g. "HK").</item>
    /// <item>TON 0 unknown: a '+' or "00" prefix makes it international; otherwise it is taken as international
    /// when that is a valid number, else as national in <paramref name="defaultRegion"/>.</item>
    /// <item>TON 3 network specific, 5 alphanumeric and 6 abbreviated (short codes) are not numbers.</item>
    /// </list>
    /// NPI is not trusted (carriers send 0 and 1 interchangeably), except the plans that are not telephone
    /// numbers at all: 3 data (X.121), 4 telex, 6 land mobile (an E.212 IMSI), 14 Internet and 18 WAP.
    /// National numbers must be possible numbers of their region (libphonenumber). Fails with
    /// <paramref name="problem"/> saying why; never throws on carrier input.
    /// </summary>
    public static bool TryNormalize(string address, byte ton, byte npi, string? defaultRegion, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(address);
        e164 = null;
        var text = address.Trim();
        if (text.Length == 0)
        {
            problem = "the address is empty";
            return false;
        }

        if (npi is 3 or 4 or 6 or 14 or 18)
        {
            problem = $"NPI {npi} is not a telephone numbering plan";
            return false;
        }

        switch (ton)
        {
            case TonInternational:
                return TryInternational(StripInternationalPrefix(text) ?? text, out e164, out problem);
            case TonNational or TonSubscriberNumber:
                return TryNational(text, defaultRegion, out e164, out problem);
            case TonUnknown when StripInternationalPrefix(text) is { } digits:
                return TryInternational(digits, out e164, out problem);
            case TonUnknown:
                if (TryInternational(text, out var international, out _) && IsValid(international))
                {
                    e164 = international;
                    problem = null;
                    return true;
                }

                if (TryNational(text, defaultRegion, out var national, out problem) && IsValid(national))
                {
                    e164 = national;
                    return true;
                }

                problem = $"'{text}' with TON 0 is neither a valid international number nor a valid national number{(defaultRegion is null ? " (no region to read it in)" : $" of {defaultRegion}")}";
                return false;
            case TonAlphanumeric:
                problem = "TON 5 is an alphanumeric address, not a number";
                return false;
            case TonAbbreviated:
                problem = "TON 6 is an abbreviated number (short code), not an E.164 number";
                return false;
            case TonNetworkSpecific:
                problem = "TON 3 is a network-specific number, not an E.164 number";
                return false;
            default:
                problem = $"TON {ton} is reserved";
                return false;
        }
    }

    /// <summary>
    /// The TON, NPI and address a submit_sm should carry for <paramref name="address"/>:
    /// <list type="bullet">
    /// <item>"+85251234567" (E.164) → (1 international, 1 ISDN, "85251234567"): SMSCs route international numbers by TON 1 / NPI 1.</item>
    /// <item>digits only, e.g. a short code "72512" → (0 unknown, 1 ISDN, digits): the SMSC reads them in its own
    /// numbering plan. TON 3 (network specific) or 6 (abbreviated) would claim more than Pool knows, and
    /// some SMSCs refuse them.</item>
    /// <item>anything else, e.g. a sender name "Pool" → (5 alphanumeric, 0 unknown, text), at most 11 characters.</item>
    /// </list>
    /// Throws <see cref="ArgumentException"/> for an empty address, a '+' not followed by 1–15 digits,
    /// digits longer than 20 characters, or a name longer than 11 characters.
    /// </summary>
    public static SmppAddress ForSubmit(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Length == 0)
        {
            throw new ArgumentException("The address is empty.", nameof(address));
        }

        if (address[0] == '+')
        {
            var digits = address[1..];
            if (digits.Length is 0 or > MaxE164Digits || !digits.All(char.IsAsciiDigit))
            {
                throw new ArgumentException($"'{address}' is not an E.164 number: '+' must be followed by 1 to {MaxE164Digits} digits.", nameof(address));
            }

            return new SmppAddress(TonInternational, NpiIsdn, digits);
        }

        if (address.All(char.IsAsciiDigit))
        {
            return address.Length <= MaxAddressLength
                ? new SmppAddress(TonUnknown, NpiIsdn, address)
                : throw new ArgumentException($"'{address}' has {address.Length} digits; at most {MaxAddressLength} fit an SMPP address.", nameof(address));
        }

        return address.Length <= MaxAlphanumericLength
            ? new SmppAddress(TonAlphanumeric, NpiUnknown, address)
            : throw new ArgumentException($"The alphanumeric address '{address}' has {address.Length} characters; at most {MaxAlphanumericLength} fit (TS 23.040 §9.1.2.5).", nameof(address));
    }

    // The digits after a '+' or "00" international prefix, or null when there is no such prefix.
    private static string? StripInternationalPrefix(string text) =>
        text.StartsWith('+') ? text[1..]
        : text.StartsWith("00", StringComparison.Ordinal) ? text[2..]
        : null;

    private static bool TryInternational(string digits, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? problem)
    {
        e164 = null;
        if (digits.Length is 0 or > MaxE164Digits || !digits.All(char.IsAsciiDigit))
        {
            problem = $"'{digits}' is not an international number (1 to {MaxE164Digits} digits)";
            return false;
        }

        e164 = "+" + digits;
        problem = null;
        return true;
    }

    private static bool TryNational(string text, string? region, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? problem)
    {
        e164 = null;
        if (string.IsNullOrEmpty(region))
        {
            problem = $"'{text}' is a national number and no region was given to read it in";
            return false;
        }

        if (!text.All(char.IsAsciiDigit))
        {
            problem = $"'{text}' is not a national number (digits only)";
            return false;
        }

        try
        {
            var parsed = s_util.Parse(text, region);
            if (!s_util.IsPossibleNumber(parsed))
            {
                problem = $"'{text}' is not a possible number of {region}";
                return false;
            }

            e164 = s_util.Format(parsed, PhoneNumberFormat.E164);
            problem = null;
            return true;
        }
        catch (NumberParseException)
        {
            problem = $"'{text}' cannot be read as a number of {region}";
            return false;
        }
    }

    private static bool IsValid(string e164)
    {
        try
        {
            return s_util.IsValidNumber(s_util.Parse(e164, null));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
