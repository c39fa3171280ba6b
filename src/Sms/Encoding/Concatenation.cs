using System.Text;

namespace Pool.Sms.Encoding;

/// <summary>
/// Joining the parts of a concatenated SMS (3GPP TS 23.040 §9.2.3.24.1 / .8, or SMPP SAR TLVs). The
/// parts are collected durably by the cluster's concatenation grain; this holds the rules they share.
/// </summary>
public static class Concatenation
{
    /// <summary>What stands in the text for a part that never arrived.</summary>
    public const string MissingMarker = "[…]";

    /// <summary>The most parts a message can have (the total is one octet).</summary>
    public const int MaxParts = 255;

    /// <summary>
    /// The text of a message from its parts in sequence order, each missing part (null) standing as
    /// <see cref="MissingMarker"/>; also the 1-based numbers of the missing parts.
    /// </summary>
    public static (string Text, IReadOnlyList<int> MissingParts) Join(IReadOnlyList<string?> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new StringBuilder();
        var missing = new List<int>();
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is { } part)
            {
                text.Append(part);
            }
            else
            {
                text.Append(MissingMarker);
                missing.Add(i + 1);
            }
        }

        return (text.ToString(), missing);
    }
}
