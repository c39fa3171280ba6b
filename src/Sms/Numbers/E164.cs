using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Pool.Sms.Numbers;

/// <summary>
/// Parses and validates phone numbers in E.164 form (<c>+85251234567</c>) with libphonenumber.
/// Virtual numbers are stored, keyed and compared only in this canonical form.
/// </summary>
public static class E164
{
    private static readonly PhoneNumberUtil s_util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Parses <paramref name="input"/> as an international number. Succeeds only for a number that
    /// starts with '+' and is a valid number of its region; <paramref name="number"/> is then canonical E.164.
    /// </summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out string? number, [NotNullWhen(false)] out string? error)
    {
        number = null;
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty; expected an E.164 number such as +85251234567";
            return false;
        }

        if (text[0] != '+')
        {
            error = $"'{text}' must start with '+' and the country calling code (E.164)";
            return false;
        }

        PhoneNumber parsed;
        try
        {
            parsed = s_util.Parse(text, null);
        }
        catch (NumberParseException ex)
        {
            error = $"'{text}' is not a phone number ({Describe(ex.ErrorType)})";
            return false;
        }

        if (!s_util.IsValidNumber(parsed))
        {
            error = $"'{text}' is not a valid number for any region";
            return false;
        }

        number = s_util.Format(parsed, PhoneNumberFormat.E164);
        error = null;
        return true;
    }

    /// <summary>The ISO 3166-1 alpha-2 region of a canonical E.164 number, e.g. "HK"; "ZZ" when unknown.</summary>
    public static string RegionOf(string e164)
    {
        var parsed = s_util.Parse(e164, null);
        return s_util.GetRegionCodeForNumber(parsed) ?? "ZZ";
    }

    /// <summary>
    /// Masks a phone number for logs and traces: keeps the leading '+' and country code and the last
    /// four digits (<c>+852****4567</c>). Anything too short to mask safely becomes all stars.
    /// </summary>
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return string.Empty;
        }

        var digits = number.Count(char.IsAsciiDigit);
        if (digits < 8)
        {
            return new string('*', number.Length);
        }

        var plus = number[0] == '+' ? "+" : string.Empty;
        var body = new string(number.Where(char.IsAsciiDigit).ToArray());
        var countryLength = plus.Length == 1 ? CountryCodeLength(body) : 0;
        return plus + body[..countryLength] + "****" + body[^4..];
    }

    private static int CountryCodeLength(string digits)
    {
        for (var length = 1; length <= 3 && length < digits.Length; length++)
        {
            if (s_util.GetRegionCodeForCountryCode(int.Parse(digits[..length], System.Globalization.CultureInfo.InvariantCulture)) != "ZZ")
            {
                return length;
            }
        }

        return 1;
    }

    private static string Describe(ErrorType type) => type switch
    {
        ErrorType.INVALID_COUNTRY_CODE => "unknown country calling code",
        ErrorType.NOT_A_NUMBER => "not a number",
        ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => "too short",
        ErrorType.TOO_LONG => "too long",
        _ => "unparseable",
    };
}
