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

    public IReadOnlySet<Scenario> Scenarios { get; init; } = new HashSet<Scenario> { Scenario.Upsert, Scenario.Cycles, Scenario.Scaling };
}

internal enum Scenario
{
    Upsert,
    Cycles,
    Scaling,
}
