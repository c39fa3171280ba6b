using System.Diagnostics.Metrics;

namespace Pool.Grains.Leases;

/// <summary>
/// The "Pool.Leases" meter: <c>pool.leases.started</c> (leases opened, by pool and country) and
/// <c>pool.leases.ended</c> (leases ended, by pool, country and outcome: completed, cancelled,
/// bad_number, expired). Counted once, where the lease grain persisted the change; labels never carry
/// a number.
/// </summary>
public static class LeaseMetrics
{
    public const string MeterName = "Pool.Leases";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_started = s_meter.CreateCounter<long>("pool.leases.started", "{lease}", "Leases opened, by pool and country");
    private static readonly Counter<long> s_ended = s_meter.CreateCounter<long>("pool.leases.ended", "{lease}", "Leases ended, by pool, country and outcome");

    public static void Started(string poolId, string country) =>
        s_started.Add(1, new KeyValuePair<string, object?>("pool", poolId), new KeyValuePair<string, object?>("country", country));

    public static void Ended(string poolId, string country, Contracts.Leases.LeaseOutcome outcome) =>
        s_ended.Add(
            1,
            new KeyValuePair<string, object?>("pool", poolId),
            new KeyValuePair<string, object?>("country", country),
            new KeyValuePair<string, object?>("outcome", LeaseOutcomes.Name(outcome)));
}
