using Orleans.Concurrency;
using Pool.Contracts.Leases;

namespace Pool.Grains.Leases;

/// <summary>
/// How a number and its lease settle a disagreement (cluster-internal; clients never call it). The
/// number never waits for its lease (it asks one-way and is answered by a call), while the lease may
/// wait for its number: so the two can always talk without a deadlock.
/// </summary>
[Alias("pool.ILeaseHolding")]
public interface ILeaseHolding : IGrainWithStringKey
{
    /// <summary>
    /// The number <paramref name="number"/> asks whether this lease holds it; the lease first ends itself
    /// if it is overdue, then answers with <see cref="Numbers.INumberHolding.LeaseAnsweredAsync"/>.
    /// </summary>
    [OneWay, Alias("CheckHold")]
    Task CheckHoldAsync(string number);

    /// <summary>The expiry sweep found this lease active while its number is not held by it: the lease asks its number and agrees with it.</summary>
    [OneWay, Alias("Reconcile")]
    Task ReconcileAsync();
}

/// <summary>
/// A lease's answer to its number: whether it holds the number, and when it does not but ended on it,
/// how it ended (<see cref="LeaseOutcome.None"/>: the lease never recorded holding the number, e.g. its
/// opening failed after the number was granted).
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseHold")]
public sealed record LeaseHold(
    [property: Id(0)] bool Holds,
    [property: Id(1)] LeaseOutcome Outcome,
    [property: Id(2)] int Messages);
