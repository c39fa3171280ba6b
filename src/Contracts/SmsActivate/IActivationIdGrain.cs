namespace Pool.Contracts.SmsActivate;

/// <summary>
/// The integer activation ids of the sms-activate protocol, one per lease (table
/// sms_activate_activations). A stateless worker: each call is one statement. Every lookup is scoped
/// by tenant, so another tenant's id is not found. Database faults reach the caller as
/// <see cref="Errors.PoolErrorCode.Unavailable"/> (retryable).
/// </summary>
[Alias("pool.IActivationIdGrain")]
public interface IActivationIdGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The activation id of <paramref name="leaseId"/>, held by <paramref name="tenantId"/>: a new
    /// one (1 or more, increasing) written durably before this returns, or the one the lease already has.
    /// </summary>
    [Alias("Assign")]
    Task<long> AssignAsync(string tenantId, string leaseId);

    /// <summary>The lease of <paramref name="activationId"/> if <paramref name="tenantId"/> holds it, else null.</summary>
    [Alias("FindLease")]
    Task<string?> FindLeaseAsync(string tenantId, long activationId);

    /// <summary>The activation ids of those of <paramref name="leaseIds"/> that <paramref name="tenantId"/> holds and that have one.</summary>
    [Alias("FindActivations")]
    Task<IReadOnlyDictionary<string, long>> FindActivationsAsync(string tenantId, IReadOnlyList<string> leaseIds);
}
