using System.Diagnostics.Metrics;
using Pool.Contracts.Verification;

namespace Pool.Grains.Verification;

/// <summary>
/// The "Pool.Verifications" meter: <c>pool.verifications</c>, verifications by outcome — started
/// (admitted and its code handed to a route), then how each ended: approved, max_attempts_reached,
/// canceled, expired, failed (no route took the code).
/// </summary>
public static class VerificationMetrics
{
    public const string MeterName = "Pool.Verifications";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_verifications = s_meter.CreateCounter<long>("pool.verifications", "{verification}", "Verifications started and ended, by outcome");

    public static void Started() => s_verifications.Add(1, new KeyValuePair<string, object?>("outcome", "started"));

    public static void Ended(VerificationStatus status) =>
        s_verifications.Add(1, new KeyValuePair<string, object?>("outcome", Outcome(status)));

    private static string Outcome(VerificationStatus status) => status switch
    {
        VerificationStatus.Approved => "approved",
        VerificationStatus.MaxAttemptsReached => "max_attempts_reached",
        VerificationStatus.Canceled => "canceled",
        VerificationStatus.Expired => "expired",
        VerificationStatus.Failed => "failed",
        _ => "pending",
    };
}
