using System.Buffers;
using System.Security.Cryptography;

namespace Pool.Contracts.Verification;

/// <summary>Where a verification stands. Pending is the only state that accepts checks, resends and cancels.</summary>
[GenerateSerializer, Alias("pool.VerificationStatus")]
public enum VerificationStatus
{
    Pending = 0,
    Approved = 1,
    Canceled = 2,
    Expired = 3,
    MaxAttemptsReached = 4,

    /// <summary>The code could not be sent at all (no carrier route took it).</summary>
    Failed = 5,
}

/// <summary>What the carriers said about the verification's messages.</summary>
[GenerateSerializer, Alias("pool.VerificationDelivery")]
public enum VerificationDelivery
{
    /// <summary>Nothing was accepted by a carrier.</summary>
    None = 0,

    /// <summary>Accepted by a carrier; no receipt yet.</summary>
    Sent = 1,

    Delivered = 2,
    Undelivered = 3,
}

/// <summary>
/// A validated-on-arrival request to verify <see cref="To"/>. Null <see cref="CodeLength"/> and
/// <see cref="Ttl"/> take the defaults (6 digits, 10 minutes); null <see cref="Locale"/> is English.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.VerificationRequest")]
public sealed record VerificationRequest(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string To,
    [property: Id(2)] string? Channel = null,
    [property: Id(3)] string? Locale = null,
    [property: Id(4)] int? CodeLength = null,
    [property: Id(5)] TimeSpan? Ttl = null);

/// <summary>A verification as its tenant sees it; the end user's number only masked.</summary>
[GenerateSerializer, Immutable, Alias("pool.VerificationInfo")]
public sealed record VerificationInfo(
    [property: Id(0)] string VerificationId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string ToMasked,
    [property: Id(3)] string Channel,
    [property: Id(4)] string Locale,
    [property: Id(5)] int CodeLength,
    [property: Id(6)] VerificationStatus Status,
    [property: Id(7)] VerificationDelivery Delivery,
    [property: Id(8)] int Sends,
    [property: Id(9)] int Checks,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset ExpiresAt,
    [property: Id(12)] DateTimeOffset UpdatedAt,
    [property: Id(13)] string? RouteId);

/// <summary>The answer to a check: whether the code matched, and the verification after it.</summary>
[GenerateSerializer, Immutable, Alias("pool.VerificationCheck")]
public sealed record VerificationCheck([property: Id(0)] bool Valid, [property: Id(1)] VerificationInfo Verification);

/// <summary>Verification ids: "ve_" and 32 lowercase hex digits, random.</summary>
public static class VerificationIds
{
    private const string Prefix = "ve_";
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdef");

    public static string NewRandom() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The id a tenant's start with <paramref name="idempotencyKey"/> gets, so a retry reaches the same verification.</summary>
    public static string ForIdempotencyKey(string tenantId, string idempotencyKey)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"verification\n{tenantId}\n{idempotencyKey}"));
        return Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public static bool IsValid(string? id) =>
        id is { Length: 35 } && id.StartsWith(Prefix, StringComparison.Ordinal) && !id.AsSpan(Prefix.Length).ContainsAnyExcept(s_hex);
}

/// <summary>
/// One outbound verification (key: its id). Every call names the tenant: another tenant's
/// verification is NotFound. Expiry is evaluated from the persisted deadline on every call.
/// </summary>
[Alias("pool.IVerificationGrain")]
public interface IVerificationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Generates the code and sends it. InvalidArgument names the field; Exhausted when the number or its
    /// prefix had too many verifications in the last hour; Unavailable when no route could send it (the
    /// verification is then Failed). Starting again with the same request returns the verification;
    /// with another request it is Conflict.
    /// </summary>
    [Alias("Start")]
    Task<VerificationInfo> StartAsync(VerificationRequest request, CancellationToken cancellationToken = default);

    [Alias("Get")]
    Task<VerificationInfo> GetAsync(string tenantId);

    /// <summary>
    /// Compares <paramref name="code"/> in constant time. A match approves; the last allowed mismatch
    /// ends the verification as MaxAttemptsReached. FailedPrecondition unless Pending.
    /// </summary>
    [Alias("Check")]
    Task<VerificationCheck> CheckAsync(string tenantId, string code);

    /// <summary>Sends the same code again. FailedPrecondition unless Pending; Exhausted after the maximum sends.</summary>
    [Alias("Resend")]
    Task<VerificationInfo> ResendAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a pending verification (again: no change). FailedPrecondition once it ended otherwise.</summary>
    [Alias("Cancel")]
    Task<VerificationInfo> CancelAsync(string tenantId);

    /// <summary>A delivery receipt for one of the verification's messages (from the outbound receipts).</summary>
    [Alias("RecordDelivery")]
    Task RecordDeliveryAsync(bool delivered);

    /// <summary>
    /// Erasure of the end user's data (operator call, any tenant): when the verification's number has the
    /// keyed hash <paramref name="numberHash"/>, cancels it if pending and replaces its number (ciphertext,
    /// hash, masked form) and its code with nothing or random values, in one write; counts and times stay.
    /// A verification of another number, or one already erased, is left as it is.
    /// </summary>
    [Alias("EraseEndUser")]
    Task<VerificationErasure> EraseEndUserAsync(byte[] numberHash);
}

/// <summary>What <see cref="IVerificationGrain.EraseEndUserAsync"/> did to one verification.</summary>
[GenerateSerializer, Alias("pool.VerificationErasure")]
public enum VerificationErasure
{
    /// <summary>Nothing: no verification, another number, or erased before.</summary>
    None = 0,

    /// <summary>Its end user's data was anonymised (it had ended before).</summary>
    Anonymised = 1,

    /// <summary>It was pending: canceled, and its end user's data anonymised.</summary>
    CanceledAndAnonymised = 2,
}

/// <summary>Expires overdue verifications whose grains are not active (a reminder; one activation, key 0).</summary>
[Alias("pool.IVerificationSweepGrain")]
public interface IVerificationSweepGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the reminder (idempotent; the silo calls it at start).</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Expires every pending verification whose deadline passed; returns how many it found.</summary>
    [Alias("Sweep")]
    Task<int> SweepAsync();
}
