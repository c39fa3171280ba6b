using System.Globalization;
using Orleans.Configuration;

namespace Pool.Silo.Configuration;

/// <summary>
/// Section "Pool:Cluster:Membership": how fast the silos agree that one of them is dead.
/// </summary>
/// <remarks>
/// Until a dead silo is declared dead, calls to the grains it hosted fail (fast: connection refused),
/// so a client that retries sees the fault for about as long as detection takes. Detection time is
/// about <see cref="NumMissedProbesLimit"/> probe periods, where a probe period is the adaptive probe
/// timeout clamped to [<see cref="MinProbeTimeout"/>, <see cref="MaxProbeTimeout"/>]; on a healthy
/// network the adaptive timeout stays small, so the period is <see cref="MinProbeTimeout"/>. The
/// price of a shorter period is a false positive: a silo that stalls (GC pause, CPU starvation) for
/// NumMissedProbesLimit × MinProbeTimeout is declared dead and must restart. The defaults keep three
/// missed probes (the last one indirect, through another silo) and two votes, so one slow link or one
/// confused silo kills nobody, and shorten the period from Orleans' 2.5 s to 1 s: a crashed silo is
/// declared dead in about 3–4 s instead of 6–9 s, while a silo must be unresponsive to two peers for
/// three seconds in a row to be evicted. Orleans extends probe timeouts on its own while the local
/// silo is degraded, which guards against declaring peers dead when the prober is the slow one.
/// </remarks>
public sealed class MembershipTimingOptions
{
    public const string Section = ClusterSettings.Section + ":Membership";

    /// <summary>The probe timeout before any round trip was measured (Orleans' default 5 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The shortest probe timeout and probe period (Orleans' default 2.5 s).</summary>
    public TimeSpan MinProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest probe timeout, however slow the measured round trips (Orleans' default 20 s).</summary>
    public TimeSpan MaxProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive missed probes before a silo votes a peer dead (Orleans' default 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>Votes needed to declare a silo dead; fewer when fewer silos are active (Orleans' default 2).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>
    /// How often each silo writes its "I am alive" time in the membership table (Orleans' default 30 s).
    /// A silo that starts when every peer is gone declares them dead after a few missed writes, and
    /// silos that missed them are not used as probe intermediaries; one small UPDATE per silo each time.
    /// </summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often each silo re-reads the membership table (Orleans' default 60 s). Changes also spread by
    /// gossip at once; this is the backstop when a gossip message is lost. One small query per silo each time.
    /// </summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a death vote counts (Orleans' default 2 min); must outlast the probes that add the second vote.</summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Copies the settings onto Orleans' options.</summary>
    public void ApplyTo(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = ProbeTimeout;
        options.MinProbeTimeout = MinProbeTimeout;
        options.MaxProbeTimeout = MaxProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.DeathVoteExpirationTimeout = DeathVoteExpirationTimeout;
    }

    /// <summary>Every documented constraint, each message naming its setting.</summary>
    internal IEnumerable<string> Validate()
    {
        if (MinProbeTimeout < TimeSpan.FromMilliseconds(100))
        {
            yield return $"{Section}:MinProbeTimeout must be at least 100 ms (it is {Show(MinProbeTimeout)}): shorter probes evict healthy silos";
        }

        if (MaxProbeTimeout < MinProbeTimeout)
        {
            yield return $"{Section}:MaxProbeTimeout ({Show(MaxProbeTimeout)}) must not be shorter than {Section}:MinProbeTimeout ({Show(MinProbeTimeout)})";
        }

        if (ProbeTimeout < MinProbeTimeout || ProbeTimeout > MaxProbeTimeout)
        {
            yield return $"{Section}:ProbeTimeout ({Show(ProbeTimeout)}) must lie between {Section}:MinProbeTimeout ({Show(MinProbeTimeout)}) and {Section}:MaxProbeTimeout ({Show(MaxProbeTimeout)})";
        }

        if (NumMissedProbesLimit is < 2 or > 10)
        {
            yield return $"{Section}:NumMissedProbesLimit must be from 2 to 10 (it is {NumMissedProbesLimit}): one missed probe is not evidence of death";
        }

        if (NumVotesForDeathDeclaration is < 1 or > 10)
        {
            yield return $"{Section}:NumVotesForDeathDeclaration must be from 1 to 10 (it is {NumVotesForDeathDeclaration})";
        }

        if (IAmAliveTablePublishTimeout < TimeSpan.FromSeconds(1))
        {
            yield return $"{Section}:IAmAliveTablePublishTimeout must be at least 1 s (it is {Show(IAmAliveTablePublishTimeout)})";
        }

        if (TableRefreshTimeout < TimeSpan.FromSeconds(1))
        {
            yield return $"{Section}:TableRefreshTimeout must be at least 1 s (it is {Show(TableRefreshTimeout)})";
        }

        // Votes from each silo arrive one probe round apart: a vote must still count when the last one is cast.
        var detection = MaxProbeTimeout * (NumMissedProbesLimit + 1);
        if (DeathVoteExpirationTimeout < detection)
        {
            yield return $"{Section}:DeathVoteExpirationTimeout ({Show(DeathVoteExpirationTimeout)}) must be at least MaxProbeTimeout × (NumMissedProbesLimit + 1) ({Show(detection)}), or votes expire before a death is declared";
        }
    }

    private static string Show(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
