using System.Globalization;
using Pool.Bench.Measurement;
using Pool.Bench.Outbound;

namespace Pool.Bench;

/// <summary>
/// The smpp-submit scenario (called "outbound" before; the name still selects it): outbound SMS submits per second over one SMPP bind to an SMSC that answers each submit_sm after a set
/// latency, in two layers: the bind alone (<see cref="BindSubmits"/>: one ESME, the window of
/// <c>--smpp-window</c>) and the same kind of bind inside the real Pool host, reached through the route
/// selector (<see cref="SiloSubmits"/>). With a window of W outstanding submit_sm and an answer after L,
/// one bind cannot do better than W / L submits per second; the SMSC's most submit_sm outstanding at once
/// says whether the window, or something before it, was the limit.
/// </summary>
internal static class SmppSubmitBenchmark
{
    public const string BindLayer = "bind";
    public const string SiloLayer = "silo";

    /// <summary>Distinct Hong Kong destinations the senders go through in turn.</summary>
    public const int Destinations = 1_000;

    public static async Task<SmppSubmitResult> RunAsync(BenchSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var bind = await BindSubmits.RunAsync(settings, progress, cancellationToken);
        await progress.WriteLineAsync(Summary(bind));
        var silo = await SiloSubmits.RunAsync(settings, progress, cancellationToken);
        await progress.WriteLineAsync(Summary(silo));
        return new SmppSubmitResult(bind, silo);
    }

    public static string Ms(TimeSpan span) => $"{span.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms";

    private static string Summary(SmppSubmitLayer layer) =>
        $"smpp-submit {layer.Layer}: {layer.SubmitsPerSecond:N0} submits/s of a ceiling of {layer.CeilingPerSecond?.ToString("N0", CultureInfo.InvariantCulture) ?? "-"}/s; " +
        $"p50 {layer.Latency.P50Ms:0.0} ms, p99 {layer.Latency.P99Ms:0.0} ms; most submit_sm outstanding at the SMSC: {layer.MaxInFlightSubmits?.ToString(CultureInfo.InvariantCulture) ?? "not measured"} " +
        $"(window {layer.WindowSize}); {layer.Failures:N0} failed";
}

/// <summary>Both layers of the smpp-submit measurement.</summary>
internal sealed record SmppSubmitResult(SmppSubmitLayer Bind, SmppSubmitLayer Silo);

/// <summary>
/// One layer of the smpp-submit measurement: accepted submits per second in the measured window and their
/// latency (each from the sender's call to its answer, window wait included), the outcome of every submit
/// (warm-up included), and what the SMSC saw.
/// </summary>
internal sealed record SmppSubmitLayer(
    string Layer,
    string Path,
    int WindowSize,
    string WindowSource,
    int Senders,
    double SmscLatencyMs,
    long Submits,
    double MeasuredSeconds,
    double SubmitsPerSecond,
    Latency Latency,
    long Failures,
    IReadOnlyDictionary<string, long> Outcomes,
    long SubmitsIncludingWarmup,
    int? MaxInFlightSubmits,
    int? SmscAccepted,
    double? SiloStartupSeconds,
    int SiloWarnings,
    IReadOnlyList<string> SiloWarningSamples,
    bool StoppedByOperationCap)
{
    public SmppSubmitLayer(
        string layer,
        string path,
        int windowSize,
        string windowSource,
        int senders,
        double smscLatencyMs,
        SubmitRun run,
        int? maxInFlightSubmits,
        int? smscAccepted,
        double? siloStartupSeconds,
        int siloWarnings,
        IReadOnlyList<string> siloWarningSamples)
        : this(
            layer,
            path,
            windowSize,
            windowSource,
            senders,
            smscLatencyMs,
            run.Accepted,
            run.MeasuredSeconds,
            run.AcceptedPerSecond,
            run.Latency,
            run.MeasuredFailures,
            run.Outcomes,
            run.SubmitsIncludingWarmup,
            maxInFlightSubmits,
            smscAccepted,
            siloStartupSeconds,
            siloWarnings,
            siloWarningSamples,
            run.StoppedByOperationCap)
    {
    }

    /// <summary>Window ÷ SMSC latency: what one bind could do if nothing but the window held it back (null with no latency).</summary>
    public double? CeilingPerSecond => SmscLatencyMs > 0 ? WindowSize * 1000.0 / SmscLatencyMs : null;

    /// <summary>Submits per second as a share of <see cref="CeilingPerSecond"/>.</summary>
    public double? ShareOfCeiling => CeilingPerSecond is { } ceiling ? SubmitsPerSecond / ceiling : null;
}
