using Orleans.Concurrency;
using Pool.Contracts.Leases;
using Pool.Grains.Leases;

namespace Pool.Grains.Numbers;

/// <summary>The number's side of <see cref="ILeaseHolding"/> (cluster-internal).</summary>
[Alias("pool.INumberHolding")]
public interface INumberHolding : IGrainWithStringKey
{
    /// <summary>Whether the lease <paramref name="leaseId"/> holds the number, and if not how it ended, as far as the number remembers.</summary>
    [Alias("EndOf")]
    Task<LeaseEnd> EndOfAsync(string leaseId);

    /// <summary>The lease's answer to <see cref="ILeaseHolding.CheckHoldAsync"/>: a lease that does not hold the number frees it.</summary>
    [Alias("LeaseAnswered")]
    Task LeaseAnsweredAsync(string leaseId, LeaseHold hold);

    /// <summary>The expiry sweep found the number leased by a lease whose record is missing or ended: the number asks its lease.</summary>
    [OneWay, Alias("CheckLease")]
    Task CheckLeaseAsync();
}

/// <summary>What a number knows of one lease: it holds the number, it ended (how and when), or the number does not remember it.</summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseEnd")]
public sealed record LeaseEnd(
    [property: Id(0)] bool Holds,
    [property: Id(1)] EndedLease? Ended);
