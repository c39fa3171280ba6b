namespace Pool.Contracts.Privacy;

/// <summary>
/// What erasing an end user's data did, per kind (all zero when there was nothing left to erase).
/// <see cref="NumberMasked"/> is the number as it may be shown (+852****4567); the full number is
/// never part of an answer.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.EndUserErasure")]
public sealed record EndUserErasure(
    [property: Id(0)] string NumberMasked,
    [property: Id(1)] string? TenantId,
    [property: Id(2)] int ActiveVerificationsCanceled,
    [property: Id(3)] int VerificationsAnonymised,
    [property: Id(4)] int VerificationStatesAnonymised,
    [property: Id(5)] int OutboundMessagesAnonymised,
    [property: Id(6)] int ReceiptsAnonymised,
    [property: Id(7)] int LegacyStatesDeleted);

/// <summary>
/// Erasure on request (GDPR art. 17) of an end user's data in the outbound flow. One activation (key 0),
/// non-reentrant: erasures are rare operator calls, and running them one at a time means two erasures of
/// one number never interleave. No tenant traffic goes through it.
/// </summary>
[Alias("pool.IPrivacyGrain")]
public interface IPrivacyGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Cancels the number's pending verifications, anonymises its verifications (their state and index
    /// rows), outbound messages and receipts irreversibly, and writes the audit row ("end_user.erase") in
    /// the transaction of the index changes. <paramref name="tenantId"/> null: every tenant's.
    /// InvalidArgument (naming "number" or "tenant_id"); Unavailable when verification keys are not
    /// configured (the number's rows cannot be found without the index key) or the database is down.
    /// A repeat finds nothing left and reports zeros.
    /// </summary>
    [Alias("EraseEndUser")]
    Task<EndUserErasure> EraseEndUserAsync(string number, string? tenantId, CancellationToken cancellationToken = default);
}
