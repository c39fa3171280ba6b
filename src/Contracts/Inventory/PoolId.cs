using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pool.Contracts.Inventory;

/// <summary>Pool names: 1–40 characters of lowercase letters, digits and '-', starting with a letter or digit.</summary>
public static partial class PoolId
{
    public const int MaxLength = 40;

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? poolId, [NotNullWhen(false)] out string? error)
    {
        var text = input?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text))
        {
            poolId = null;
            error = "is empty; expected a pool name such as 'hk-main'";
            return false;
        }

        if (!Pattern().IsMatch(text))
        {
            poolId = null;
            error = $"'{input}' is not a pool name: use 1-{MaxLength} lowercase letters, digits and '-', starting with a letter or digit";
            return false;
        }

        poolId = text;
        error = null;
        return true;
    }

    /// <summary>The pool a country's numbers go to when no pool is named: the lowercase country code.</summary>
    public static string DefaultFor(string country) => country.ToLowerInvariant();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
