namespace Pool.Grains.Routes;

/// <summary>
/// How route health is judged (configuration section "Pool:Routes:Health"). The score is the product
/// of three factors over the sliding <see cref="Window"/>: the submit success rate (a throttle counts
/// as half a failure), the delivery rate of receipts (1 until <see cref="MinimumReceipts"/> arrived)
/// and a latency factor (1 − ½ × the share of accepted submits slower than <see cref="SlowSubmit"/>).
/// </summary>
public sealed class RouteHealthOptions
{
    public const string Section = "Pool:Routes:Health";

    /// <summary>How far back outcomes count.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Submit outcomes in the window before the score judges the route at all.</summary>
    public int MinimumSamples { get; set; } = 10;

    /// <summary>Receipts in the window before the delivery rate weighs in.</summary>
    public int MinimumReceipts { get; set; } = 5;

    /// <summary>A score below this makes a healthy route Degraded.</summary>
    public double DegradedBelow { get; set; } = 0.9;

    /// <summary>A degraded route is Healthy again once its score stayed at or above this for <see cref="RecoverAfter"/> (hysteresis band above <see cref="DegradedBelow"/>).</summary>
    public double HealthyAtOrAbove { get; set; } = 0.95;

    /// <summary>How long a degraded route's score must stay good before it is Healthy again.</summary>
    public TimeSpan RecoverAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A score below this (with enough samples) opens the circuit: the route is Down.</summary>
    public double DownBelow { get; set; } = 0.5;

    /// <summary>Consecutive failed submits (errors or timeouts) that open the circuit whatever the sample size: an outage trips the breaker after this many messages.</summary>
    public int ConsecutiveFailuresToOpen { get; set; } = 5;

    /// <summary>The cool-off of an open circuit before probes are let through.</summary>
    public TimeSpan OpenFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Probe messages a half-open circuit lets through at once.</summary>
    public int HalfOpenProbes { get; set; } = 2;

    /// <summary>A probe that has not reported back within this is forgotten and its place given to another.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Successful probes that close the circuit; one failed probe re-opens it.</summary>
    public int ProbeSuccessesToClose { get; set; } = 3;

    /// <summary>After the circuit closes, the route takes traffic only when nothing else can until it has stayed up this long.</summary>
    public TimeSpan HoldAfterRecovery { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>An accepted submit slower than this counts as slow in the latency factor.</summary>
    public TimeSpan SlowSubmit { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Every problem with these settings, each naming its setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (Window <= TimeSpan.Zero)
        {
            yield return $"{Section}:Window must be positive";
        }

        if (MinimumSamples < 1)
        {
            yield return $"{Section}:MinimumSamples must be at least 1";
        }

        if (MinimumReceipts < 1)
        {
            yield return $"{Section}:MinimumReceipts must be at least 1";
        }

        if (!(DownBelow > 0 && DownBelow <= DegradedBelow && DegradedBelow <= HealthyAtOrAbove && HealthyAtOrAbove <= 1))
        {
            yield return $"{Section}: expected 0 < DownBelow <= DegradedBelow <= HealthyAtOrAbove <= 1";
        }

        if (ConsecutiveFailuresToOpen < 1)
        {
            yield return $"{Section}:ConsecutiveFailuresToOpen must be at least 1";
        }

        if (HalfOpenProbes < 1 || ProbeSuccessesToClose < 1)
        {
            yield return $"{Section}:HalfOpenProbes and ProbeSuccessesToClose must be at least 1";
        }

        if (OpenFor < TimeSpan.Zero || RecoverAfter < TimeSpan.Zero || HoldAfterRecovery < TimeSpan.Zero || ProbeTimeout <= TimeSpan.Zero || SlowSubmit <= TimeSpan.Zero)
        {
            yield return $"{Section}: OpenFor, RecoverAfter and HoldAfterRecovery must not be negative; ProbeTimeout and SlowSubmit must be positive";
        }
    }
}
