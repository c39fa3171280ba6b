using System.IO.Hashing;
using System.Text;

namespace Pool.Grains.Leases;

/// <summary>Which expiry bucket a lease deadline belongs to.</summary>
public static class ExpiryBuckets
{
    /// <summary>Buckets per minute: spreads one minute's registrations over several grains and silos.</summary>
    public const int Partitions = 4;

    public static string KeyOf(string leaseId, DateTimeOffset expiresAt)
    {
        var minute = expiresAt.ToUnixTimeSeconds() / 60;
        var partition = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(leaseId)) % Partitions;
        return $"{minute}/{partition}";
    }

    /// <summary>When a bucket fires: the end of its minute.</summary>
    public static DateTimeOffset FireTimeOf(string bucketKey)
    {
        var minute = long.Parse(bucketKey.AsSpan(0, bucketKey.IndexOf('/', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60);
    }
}
