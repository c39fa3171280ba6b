namespace Pool.Bench;

/// <summary>What one run measures, and how long and how hard (see <c>pool-bench --help</c>).</summary>
internal sealed record BenchSettings
{
    public const int MaxPoolSize = 1_000_000;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ScalingDuration { get; init; } = TimeSpan.FromSeconds(5);

    public int Connections { get; init; } = 16;

    public int Workers { get; init; } = 16;

    public int PoolSize { get; init; } = 2_000;

    public IReadOnlyList<int> ScalingSizes { get; init; } = [1_000, 10_000, 100_000];

    /// <summary>Upper bound on the operations of one measurement (warm-up included), whatever the duration.</summary>
    public int MaxOperations { get; init; } = 2_000_000;

    /// <summary>Measured inbound SMS (after the warm-up).</summary>
    public int InboundMessages { get; init; } = 2_000;

    /// <summary>Inbound SMS posted per second; 0: no set rate, each sender posts as soon as its last POST was answered.</summary>
    public int InboundRate { get; init; } = 100;

    /// <summary>Concurrent carrier connections posting inbound SMS: the most POSTs in flight.</summary>
    public int InboundSenders { get; init; } = 16;

    /// <summary>Leases of the inbound tenant; the messages go to their numbers in turn.</summary>
    public int InboundLeases { get; init; } = 100;

    /// <summary>Most measured time of the inbound measurement, however many messages are left to send.</summary>
    public TimeSpan InboundDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the inbound tenant has a webhook endpoint (on loopback, timed as well).</summary>
    public bool InboundWebhook { get; init; } = true;

    /// <summary>How long the simulated SMSC waits before answering each submit_sm.</summary>
    public TimeSpan OutboundLatency { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The window of the bind layer's ESME: the most submit_sm waiting for their submit_sm_resp at once.</summary>
    public int OutboundWindow { get; init; } = 10;

    /// <summary>Concurrent senders submitting back to back, in both outbound layers.</summary>
    public int OutboundSenders { get; init; } = 32;

    /// <summary>Measured time of each outbound layer (after the warm-up).</summary>
    public TimeSpan OutboundDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Measured time of the otp measurement (after the warm-up).</summary>
    public TimeSpan OtpDuration { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlySet<Scenario> Scenarios { get; init; } = new HashSet<Scenario>
    {
        Scenario.Upsert, Scenario.Cycles, Scenario.Scaling, Scenario.Inbound, Scenario.Outbound, Scenario.Otp,
    };

    /// <summary>Whether a scenario that needs PostgreSQL is selected (every one but otp).</summary>
    public bool NeedsDatabase => Scenarios.Any(s => s != Scenario.Otp);
}

internal enum Scenario
{
    Upsert,
    Cycles,
    Scaling,
    Inbound,
    Outbound,

    /// <summary>One-time code extraction over the labelled corpus, on one thread; no database.</summary>
    Otp,
}
