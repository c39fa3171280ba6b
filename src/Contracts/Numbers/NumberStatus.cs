namespace Pool.Contracts.Numbers;

/// <summary>
/// Where a virtual number is in its life. Values are persisted: never renumber them.
/// Available → Leased → Cooling → Available; a lease that runs out ends with outcome "expired" and
/// the number cools down the same way; any state → Watchlisted → Available or Retired; Retired is final.
/// </summary>
[GenerateSerializer, Alias("pool.NumberStatus")]
public enum NumberStatus
{
    /// <summary>Provisioned and free to lease.</summary>
    Available = 0,

    /// <summary>Held by exactly one live lease.</summary>
    Leased = 1,

    /// <summary>Resting after a lease until <see cref="NumberInfo.Until"/>.</summary>
    Cooling = 2,

    /// <summary>In quarantine until <see cref="NumberInfo.Until"/> (or until reinstated), with a reason.</summary>
    Watchlisted = 3,

    /// <summary>Out of service for good (rotated after its maximum uses, repeated offences, or by an operator).</summary>
    Retired = 4,
}
