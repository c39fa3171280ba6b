using System.Diagnostics.CodeAnalysis;

namespace Pool.Sms.Numbers;

/// <summary>SMPP addresses (SMPP 3.4 §5.2.5 TON, §5.2.6 NPI) to and from E.164.</summary>
public static class SmppAddress
{
    /// <summary>Reads an address as E.164 by its TON and, for national forms, <paramref name="defaultRegion"/>.</summary>
    public static bool TryNormalize(string address, byte ton, byte npi, string? defaultRegion, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(address);
        var candidate = ton == 1 && !address.StartsWith('+') ? "+" + address : address;
        if (E164.TryParse(candidate, out e164, out problem))
        {
            return true;
        }

        problem = $"address with TON {ton} is not an E.164 number";
        return false;
    }
}
