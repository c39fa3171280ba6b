using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Pool.Contracts.Leases;

/// <summary>
/// Lease ids: "ls_" and 32 lowercase hex digits. With an idempotency key the id is a hash of
/// (tenant, key), so a retried request addresses the same lease grain; without one it is random.
/// </summary>
public static class LeaseIds
{
    private const string Prefix = "ls_";
    private const int HexLength = 32;
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdef");

    public static string ForIdempotencyKey(string tenantId, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"lease\n{tenantId}\n{idempotencyKey}"));
        return Prefix + Convert.ToHexStringLower(hash.AsSpan(0, HexLength / 2));
    }

    public static string NewRandom() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexLength / 2));

    public static bool IsValid([NotNullWhen(true)] string? leaseId) =>
        leaseId is { Length: HexLength + 3 }
        && leaseId.StartsWith(Prefix, StringComparison.Ordinal)
        && !leaseId.AsSpan(Prefix.Length).ContainsAnyExcept(s_hex);
}
