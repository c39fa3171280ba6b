using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pool.Contracts.Leases;

/// <summary>Service names ("telegram", "google.voice"): 1–64 lowercase letters, digits, '.', '_' and '-'.</summary>
public static partial class ServiceName
{
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? service, [NotNullWhen(false)] out string? error)
    {
        var text = input?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text))
        {
            service = null;
            error = "is empty; name the service the number is for, e.g. 'telegram'";
            return false;
        }

        if (!Pattern().IsMatch(text))
        {
            service = null;
            error = $"'{input}' is not a service name: use 1-64 letters, digits, '.', '_' and '-', starting with a letter or digit";
            return false;
        }

        service = text;
        error = null;
        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
