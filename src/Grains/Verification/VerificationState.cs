using Pool.Contracts.Verification;

namespace Pool.Grains.Verification;

/// <summary>
/// One verification as persisted. The end user's number and the code appear only encrypted or as keyed
/// hashes (see <see cref="VerificationCrypto"/>); <see cref="ToMasked"/> is what is shown.
/// </summary>
[GenerateSerializer, Alias("pool.VerificationRecord")]
public sealed record VerificationRecord(
    [property: Id(0)] string TenantId,
    [property: Id(1)] byte[] NumberHash,
    [property: Id(2)] byte[] PrefixHash,
    [property: Id(3)] byte[] ToEncrypted,
    [property: Id(4)] string ToMasked,
    [property: Id(5)] string Channel,
    [property: Id(6)] string Locale,
    [property: Id(7)] int CodeLength,
    [property: Id(8)] byte[] CodeHash,
    [property: Id(9)] byte[] CodeEncrypted,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset ExpiresAt,
    [property: Id(12)] VerificationStatus Status,
    [property: Id(13)] VerificationDelivery Delivery,
    [property: Id(14)] int Sends,
    [property: Id(15)] int Checks,
    [property: Id(16)] DateTimeOffset UpdatedAt,
    [property: Id(17)] string? RouteId,
    [property: Id(18)] TimeSpan Ttl)
{
    public VerificationInfo ToInfo(string verificationId) => new(
        verificationId, TenantId, ToMasked, Channel, Locale, CodeLength, Status, Delivery, Sends, Checks, CreatedAt, ExpiresAt, UpdatedAt, RouteId);
}

/// <summary>The persisted verification (state name "verification", unique in the solution).</summary>
[GenerateSerializer, Alias("pool.VerificationState")]
public sealed class VerificationState
{
    [Id(0)]
    public VerificationRecord? Record { get; set; }
}
