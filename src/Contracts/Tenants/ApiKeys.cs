using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Pool.Contracts.Tenants;

/// <summary>
/// API keys: "pool_" + 12 hex digits (the key id: public, shown in listings and logs) + "_" + 43
/// base64url characters (256 random bits: the secret). Pool stores only SHA-256 of the whole key;
/// with that much entropy a plain hash cannot be searched, so no slow hash is needed.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "pool_";
    private const int IdHexLength = 12;
    private const int SecretLength = 43;
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> s_base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>A new key: its id and the whole key (to show once).</summary>
    public static (string KeyId, string Key) Generate()
    {
        var keyId = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdHexLength / 2));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (keyId, $"{keyId}_{secret}");
    }

    /// <summary>The key id of a presented key, if it has the shape of one.</summary>
    public static bool TryGetKeyId(string? key, [NotNullWhen(true)] out string? keyId)
    {
        keyId = null;
        if (key is not { Length: 5 + IdHexLength + 1 + SecretLength } || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + IdHexLength] != '_')
        {
            return false;
        }

        var id = key.AsSpan(Prefix.Length, IdHexLength);
        var secret = key.AsSpan(Prefix.Length + IdHexLength + 1);
        if (id.ContainsAnyExcept(s_hex) || secret.ContainsAnyExcept(s_base64Url))
        {
            return false;
        }

        keyId = key[..(Prefix.Length + IdHexLength)];
        return true;
    }

    public static bool IsKeyId(string? keyId) =>
        keyId is { Length: 5 + IdHexLength } && keyId.StartsWith(Prefix, StringComparison.Ordinal) && !keyId.AsSpan(Prefix.Length).ContainsAnyExcept(s_hex);

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether <paramref name="key"/> hashes to <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
