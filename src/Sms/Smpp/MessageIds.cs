using System.Globalization;

namespace Pool.Sms.Smpp;

/// <summary>
/// Matches the message id a receipt names to the id submit_sm_resp gave, whatever form each side
/// chose: SMSCs commonly answer submit_sm in hex and write the receipt's <c>id:</c> in decimal (or the
/// reverse), pad with leading zeros, or change the case of hex digits.
/// </summary>
public static class MessageIds
{
    /// <summary>Whether <paramref name="submitted"/> and <paramref name="received"/> can name the same message.</summary>
    public static bool Match(string submitted, string received)
    {
        var keys = Keys(submitted);
        foreach (var key in Keys(received))
        {
            if (keys.Contains(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The keys an id is known by: the id itself (trimmed, upper case) and the number it stands for read
    /// as decimal and as hex where it can be. Two ids match when they share a key, so a store can index
    /// submitted ids by every key and look a receipt up by each of its keys.
    /// </summary>
    public static IReadOnlyList<string> Keys(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var trimmed = id.Trim().ToUpperInvariant();
        if (trimmed.Length == 0)
        {
            return [];
        }

        var keys = new List<string>(3) { "s:" + trimmed };
        if (UInt128.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var decimalValue))
        {
            keys.Add("n:" + decimalValue.ToString(CultureInfo.InvariantCulture));
        }

        if (UInt128.TryParse(trimmed, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hexValue))
        {
            var key = "n:" + hexValue.ToString(CultureInfo.InvariantCulture);
            if (!keys.Contains(key))
            {
                keys.Add(key);
            }
        }

        return keys;
    }
}
