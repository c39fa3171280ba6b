using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Pool.Sms.Numbers;

/// <summary>ISO 3166-1 alpha-2 country codes, restricted to the regions that have phone numbers.</summary>
public static class Country
{
    private static readonly HashSet<string> s_regions = PhoneNumberUtil.GetInstance().GetSupportedRegions().ToHashSet(StringComparer.Ordinal);

    /// <summary>Normalises <paramref name="input"/> ("hk", " HK ") to "HK" when it is a region with phone numbers.</summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? country, [NotNullWhen(false)] out string? error)
    {
        var text = input?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(text))
        {
            country = null;
            error = "is empty; expected an ISO 3166-1 alpha-2 code such as HK";
            return false;
        }

        if (text.Length != 2 || !s_regions.Contains(text))
        {
            country = null;
            error = $"'{input}' is not an ISO 3166-1 alpha-2 country code with phone numbers (e.g. HK, GB, US)";
            return false;
        }

        country = text;
        error = null;
        return true;
    }
}
