namespace Pool.Bench;

/// <summary>What one run measures, and how long and how hard (see <c>pool-bench --help</c>).</summary>
internal sealed record BenchSettings
{
    public const int MaxPoolSize = 1_000_000;

    /// <summary>The pool sizes of the scaling measurement when <c>all</c> runs and no <c>--scaling-sizes</c> is given.</summary>
    public static readonly IReadOnlyList<int> AllScalingSizes = [1_000, 10_000, 100_000, 1_000_000];

    /// <summary>The inbound rate (SMS/s) when <c>all</c> runs and no <c>--inbound-rate</c> is given.</summary>
    public const int AllInboundRate = 500;

    /// <summary>
    /// Long enough for most of tiered compilation: on the 2-core machine a lease cycle cost 4.5 ms of
    /// CPU after 2 s of warm-up (the JIT recompiling hot methods took 12-30 % of the CPU), 2.6 ms after
    /// 30 s and 1.2 ms after 60 s. Compiled code stays compiled for the rest of the process, so later
    /// scenarios of one run start warmer.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ScalingDuration { get; init; } = TimeSpan.FromSeconds(5);

    public int Connections { get; init; } = 16;

    public int Workers { get; init; } = 16;

    public int PoolSize { get; init; } = 2_000;

    public IReadOnlyList<int> ScalingSizes { get; init; } = [1_000, 10_000, 100_000];

    /// <summary>Upper bound on the operations of one measurement (warm-up included), whatever the duration.</summary>
    public int MaxOperations { get; init; } = 2_000_000;

    /// <summary>Share of lease + release cycles (0 to 1) whose lease receives a signed SMS through the HTTP carrier endpoint before its release.</summary>
    public double CycleSmsShare { get; init; } = 0.25;

    /// <summary>Measured inbound SMS (after the warm-up).</summary>
    public int InboundMessages { get; init; } = 2_000;

    /// <summary>Inbound SMS posted per second; 0: no set rate, each sender posts as soon as its last POST was answered.</summary>
    public int InboundRate { get; init; } = 100;

    /// <summary>Whether the inbound measurement runs a second time at capacity (rate 0) after the run at <see cref="InboundRate"/>.</summary>
    public bool InboundAtCapacity { get; init; }

    /// <summary>Concurrent carrier connections posting inbound SMS: the most POSTs in flight.</summary>
    public int InboundSenders { get; init; } = 16;

    /// <summary>Leases of the inbound tenant; the messages go to their numbers in turn.</summary>
    public int InboundLeases { get; init; } = 100;

    /// <summary>Most measured time of the inbound measurement, however many messages are left to send.</summary>
    public TimeSpan InboundDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the inbound tenant has a webhook endpoint (on loopback, timed as well).</summary>
    public bool InboundWebhook { get; init; } = true;

    /// <summary>How long the simulated SMSC of the smpp-submit measurement waits before answering each submit_sm.</summary>
    public TimeSpan SmppLatency { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The window of the bind layer's ESME: the most submit_sm waiting for their submit_sm_resp at once.</summary>
    public int SmppWindow { get; init; } = 10;

    /// <summary>Concurrent senders submitting back to back, in both smpp-submit layers.</summary>
    public int SmppSenders { get; init; } = 32;

    /// <summary>Measured time of each smpp-submit layer (after the warm-up).</summary>
    public TimeSpan SmppDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Measured time of the otp measurement (after the warm-up).</summary>
    public TimeSpan OtpDuration { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlySet<Scenario> Scenarios { get; init; } = new HashSet<Scenario>(Enum.GetValues<Scenario>());

    /// <summary>Whether this is the run of <c>all</c>: every scenario, the larger defaults, and the results section of docs/benchmarks.md rewritten.</summary>
    public bool RunsAll { get; init; }

    /// <summary>Where the results section is rewritten after an <c>all</c> run (null: not rewritten).</summary>
    public string? ResultsFile { get; init; }

    /// <summary>Whether a scenario that needs PostgreSQL is selected (every one but otp).</summary>
    public bool NeedsDatabase => Scenarios.Any(s => s != Scenario.Otp);
}

/// <summary>What pool-bench can measure, in the order it measures them (otp first, alone in the process).</summary>
internal enum Scenario
{
    /// <summary>One-time code extraction over the labelled corpus, on one thread; no database.</summary>
    Otp,

    /// <summary>PostgreSQL single-row upserts: the baseline of every ratio.</summary>
    Upsert,

    /// <summary>Lease + release cycles through the gRPC API.</summary>
    Cycles,

    /// <summary>Lease + release cycles for several pool sizes, with provisioning, memory and GC per size.</summary>
    Scaling,

    /// <summary>Signed SMS posted to the carrier endpoint, timed to the tenant's stream and webhook.</summary>
    Inbound,

    /// <summary>StartVerification → CheckVerification through the gRPC API, the code sent over SMPP to the embedded simulator.</summary>
    VerifyCycle,

    /// <summary>submit_sm over one SMPP bind, alone and through the silo's route selector (formerly "outbound").</summary>
    SmppSubmit,
}

/// <summary>The names of the scenarios on the command line and in the reports.</summary>
internal static class ScenarioNames
{
    /// <summary>The word that selects every scenario (and the larger defaults of a full run).</summary>
    public const string All = "all";

    private static readonly Dictionary<string, Scenario> s_aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["outbound"] = Scenario.SmppSubmit,
    };

    /// <summary>Every scenario's name, in the order they run: "otp, upsert, cycles, …".</summary>
    public static string List { get; } = string.Join(", ", Enum.GetValues<Scenario>().Select(Of));

    /// <summary>"verify-cycle" for <see cref="Scenario.VerifyCycle"/>: the enum name in lower case, words joined by '-'.</summary>
    public static string Of(Scenario scenario) => scenario switch
    {
        Scenario.VerifyCycle => "verify-cycle",
        Scenario.SmppSubmit => "smpp-submit",
        _ => scenario.ToString().ToLowerInvariant(),
    };

    /// <summary>A scenario by its name or alias ("outbound" is smpp-submit), case-insensitive.</summary>
    public static bool TryParse(string name, out Scenario scenario)
    {
        foreach (var candidate in Enum.GetValues<Scenario>())
        {
            if (string.Equals(Of(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                scenario = candidate;
                return true;
            }
        }

        return s_aliases.TryGetValue(name, out scenario);
    }
}
