using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pool.Bench.Measurement;
using Pool.Bench.Reporting;

namespace Pool.Bench;

/// <summary>Everything one run measured, with the machine and the settings it ran with.</summary>
internal sealed record BenchReport(
    string? Revision,
    MachineInfo Machine,
    PostgresInfo? Postgres,
    ReportedSettings Settings,
    OtpResult? Otp,
    UpsertResult? Upsert,
    CycleResult? Cycles,
    ScalingResult? Scaling,
    IReadOnlyList<InboundResult> Inbound,
    VerifyCycleResult? VerifyCycle,
    SmppSubmitResult? SmppSubmit)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a report read by people and jq, never embedded in HTML
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Lease + release cycles per second over PostgreSQL single-row upserts per second, both measured in this run.</summary>
    public double? CyclesPerUpsert => PerUpsert(Cycles?.CyclesPerSecond);

    /// <summary>Verification cycles (start → check) per second over upserts per second, both measured in this run.</summary>
    public double? VerifyCyclesPerUpsert => PerUpsert(VerifyCycle?.CyclesPerSecond);

    /// <summary>Every scenario this run measured, in the order they ran, with its ratio, goal and error count.</summary>
    public IReadOnlyList<ScenarioReport> Scenarios()
    {
        var scenarios = new List<ScenarioReport>();
        if (Otp is { } otp)
        {
            var ratio = otp.MessagesPerSecond / Goals.OtpMessagesPerSecond;
            scenarios.Add(new(Scenario.Otp, otp, ratio, Goals.Otp(ratio), 0));
        }

        if (Upsert is { } upsert)
        {
            scenarios.Add(new(Scenario.Upsert, upsert, null, null, 0));
        }

        if (Cycles is { } cycles)
        {
            scenarios.Add(new(Scenario.Cycles, cycles, CyclesPerUpsert, Goals.Cycles(CyclesPerUpsert), cycles.ErrorCount));
        }

        if (Scaling is { } scaling)
        {
            scenarios.Add(new(Scenario.Scaling, scaling, scaling.LeaseP50Ratio, scaling.Goal, scaling.ErrorCount));
        }

        if (Inbound.Count > 0)
        {
            scenarios.Add(new(Scenario.Inbound, new InboundRuns(Inbound), null, null, Inbound.Sum(r => r.ErrorCount + r.Stream.Missing + (r.WebhookDelivery?.Missing ?? 0))));
        }

        if (VerifyCycle is { } verify)
        {
            scenarios.Add(new(Scenario.VerifyCycle, verify, VerifyCyclesPerUpsert, Goals.VerifyCycle(VerifyCyclesPerUpsert), verify.ErrorCount));
        }

        if (SmppSubmit is { } smpp)
        {
            scenarios.Add(new(Scenario.SmppSubmit, smpp, smpp.Silo.ShareOfCeiling, Goals.SmppSubmit(smpp.Silo.ShareOfCeiling), smpp.Bind.Failures + smpp.Silo.Failures));
        }

        return scenarios;
    }

    /// <summary>
    /// One JSON document: revision, machine, postgres, settings, and "scenarios", an object keyed by scenario
    /// name ("cycles", "verify-cycle", …) whose every value has "ratio" (null for a scenario without a goal),
    /// "goal" (null likewise), "error_count", then the scenario's own figures.
    /// </summary>
    public string ToJson()
    {
        var scenarios = new JsonObject();
        foreach (var scenario in Scenarios())
        {
            var entry = new JsonObject
            {
                ["ratio"] = scenario.Ratio,
                ["goal"] = scenario.Goal is null ? null : JsonSerializer.SerializeToNode(scenario.Goal, s_json),
                ["error_count"] = scenario.ErrorCount,
            };
            var figures = JsonSerializer.SerializeToNode(scenario.Result, scenario.Result.GetType(), s_json)!.AsObject();
            foreach (var (name, value) in figures.ToList())
            {
                figures.Remove(name);
                entry[name] = value;
            }

            scenarios[ScenarioNames.Of(scenario.Scenario)] = entry;
        }

        var document = new JsonObject
        {
            ["revision"] = Revision,
            ["machine"] = JsonSerializer.SerializeToNode(Machine, s_json),
            ["postgres"] = Postgres is null ? null : JsonSerializer.SerializeToNode(Postgres, s_json),
            ["settings"] = JsonSerializer.SerializeToNode(Settings, s_json),
            ["scenarios"] = scenarios,
        };
        return document.ToJsonString(s_json);
    }

    private double? PerUpsert(double? rate) => Upsert is { OpsPerSecond: > 0 } upsert && rate is { } r ? r / upsert.OpsPerSecond : null;
}

/// <summary>One scenario's results as reported: the figures, the ratio its goal is about (null without a goal), the goal, and its errors (0: none).</summary>
internal sealed record ScenarioReport(Scenario Scenario, object Result, double? Ratio, Goal? Goal, long ErrorCount);

/// <summary>The inbound measurement's runs: at the set rate, and (in a run of all) at capacity.</summary>
internal sealed record InboundRuns(IReadOnlyList<InboundResult> Runs);

/// <summary>
/// The scaling measurement: one lease + release measurement per pool size, each on a fresh database and
/// silo, summarised per size (<see cref="ScalingPoint"/>); the ratio is CreateLease's p50 at the largest
/// size over its p50 at <see cref="Goals.ScalingBaseSize"/> (null without that size).
/// </summary>
internal sealed record ScalingResult(IReadOnlyList<ScalingPoint> Sizes)
{
    public static ScalingResult Of(IReadOnlyList<CycleResult> runs)
    {
        var baseP50 = runs.FirstOrDefault(r => r.PoolSize == Goals.ScalingBaseSize)?.CreateLease.P50Ms;
        return new([.. runs.Select(r => new ScalingPoint(
            r.PoolSize,
            r.ProvisioningSeconds,
            r.ProvisionedNumbersPerSecond,
            r.CreateLease.P50Ms,
            baseP50 is > 0 && r.CreateLease.P50Ms is { } p50 ? p50 / baseP50.Value : null,
            r.Process.ResidentBytes,
            r.Process.PeakResidentBytes,
            r.Process.Gc,
            r))]);
    }

    [JsonIgnore]
    public double? LeaseP50Ratio => Sizes.Count == 0 ? null : Sizes.MaxBy(s => s.PoolSize)!.CreateLeaseP50VsBase;

    [JsonIgnore]
    public long ErrorCount => Sizes.Sum(s => s.Cycles.ErrorCount);

    [JsonIgnore]
    public Goal Goal
    {
        get
        {
            var goalSize = Sizes.FirstOrDefault(s => s.PoolSize == Goals.ScalingGoalSize);
            var largest = Sizes.Count == 0 ? null : Sizes.MaxBy(s => s.PoolSize);
            var peak = largest?.PeakResidentBytes ?? largest?.ResidentBytes;
            return Goals.Scaling(goalSize?.ImportSeconds, goalSize?.CreateLeaseP50VsBase, peak / 1e9);
        }
    }
}

/// <summary>
/// One pool size of the scaling measurement: import through AddNumbers (seconds, numbers/s), CreateLease's
/// p50 and its ratio to the p50 at <see cref="Goals.ScalingBaseSize"/>, this process's resident memory after
/// the size's run and its peak during it (bytes; the silo runs in the bench process), the garbage collector
/// over the measured window, and the full lease + release figures.
/// </summary>
internal sealed record ScalingPoint(
    int PoolSize,
    double ImportSeconds,
    double ImportNumbersPerSecond,
    double? CreateLeaseP50Ms,
    double? CreateLeaseP50VsBase,
    long? ResidentBytes,
    long? PeakResidentBytes,
    GcWindow Gc,
    CycleResult Cycles);

/// <summary>The settings of a run, as reported with its results.</summary>
internal sealed record ReportedSettings(
    double WarmupSeconds,
    double DurationSeconds,
    double ScalingDurationSeconds,
    int Connections,
    int Workers,
    int PoolSize,
    IReadOnlyList<int> ScalingSizes,
    int MaxOperations,
    double CycleSmsShare,
    int InboundMessages,
    int InboundRate,
    bool InboundAtCapacity,
    int InboundSenders,
    int InboundLeases,
    double InboundDurationSeconds,
    bool InboundWebhook,
    double SmppLatencyMs,
    int SmppWindow,
    int SmppSenders,
    double SmppDurationSeconds,
    double OtpDurationSeconds,
    IReadOnlyList<string> Scenarios,
    bool All)
{
    public static ReportedSettings Of(BenchSettings settings) => new(
        settings.Warmup.TotalSeconds,
        settings.Duration.TotalSeconds,
        settings.ScalingDuration.TotalSeconds,
        settings.Connections,
        settings.Workers,
        settings.PoolSize,
        settings.ScalingSizes,
        settings.MaxOperations,
        settings.CycleSmsShare,
        settings.InboundMessages,
        settings.InboundRate,
        settings.InboundAtCapacity,
        settings.InboundSenders,
        settings.InboundLeases,
        settings.InboundDuration.TotalSeconds,
        settings.InboundWebhook,
        settings.SmppLatency.TotalMilliseconds,
        settings.SmppWindow,
        settings.SmppSenders,
        settings.SmppDuration.TotalSeconds,
        settings.OtpDuration.TotalSeconds,
        [.. settings.Scenarios.Order().Select(ScenarioNames.Of)],
        settings.RunsAll);
}
