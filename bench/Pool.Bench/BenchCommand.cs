using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Grpc.Core;
using Spectre.Console;

namespace Pool.Bench;

/// <summary>pool-bench: measures durable lease + release cycles against PostgreSQL's own upsert rate, inbound SMS to the stream, outbound submits and one-time code extraction, in one run.</summary>
internal static class BenchCommand
{
    public const string RevisionVariable = "POOL_BENCH_REVISION";

    private static readonly string s_scenarioNames = string.Join(", ", Enum.GetValues<Scenario>().Select(s => s.ToString().ToLowerInvariant()));

    public static async Task<int> RunAsync(string[] args)
    {
        var startDirectory = Environment.CurrentDirectory;
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var defaults = new BenchSettings();

        var duration = DurationOption("--duration", defaults.Duration, "Measured time of the upsert and of the lease + release cycles: 10s, 500ms, 1m.");
        var warmup = DurationOption("--warmup", defaults.Warmup, "Unrecorded warm-up before each measurement (JIT, connections, activations).", allowZero: true);
        var scalingDuration = DurationOption("--scaling-duration", defaults.ScalingDuration, "Measured time of each pool size in the scaling measurement.");
        var connections = IntOption("--connections", defaults.Connections, 1, 256, "Concurrent PostgreSQL connections of the upsert measurement.");
        var workers = IntOption("--workers", defaults.Workers, 1, 256, "Concurrent gRPC clients looping CreateLease → ReleaseLease.");
        var poolSize = IntOption("--pool-size", defaults.PoolSize, 1, BenchSettings.MaxPoolSize, "Numbers in the pool of the lease + release measurement.");
        var maxOperations = IntOption("--max-ops", defaults.MaxOperations, 1_000, 50_000_000, "Most operations one measurement runs (warm-up included), however long it lasts.");
        var scalingSizes = new Option<IReadOnlyList<int>>("--scaling-sizes")
        {
            Description = $"Pool sizes of the scaling measurement, comma-separated, each up to {BenchSettings.MaxPoolSize:N0} (a million numbers take a while to provision). " +
                $"[default: {string.Join(',', defaults.ScalingSizes)}]",
            HelpName = "sizes",
            CustomParser = result => ParseSizes(result),
        };
        var inboundMessages = IntOption("--inbound-messages", defaults.InboundMessages, 1, 100_000, "Measured inbound SMS posted to the carrier endpoint (after the warm-up).");
        var inboundRate = IntOption("--inbound-rate", defaults.InboundRate, 0, 10_000, "Inbound SMS posted per second; 0: no set rate, each sender posts again as soon as it is answered.");
        var inboundSenders = IntOption("--inbound-senders", defaults.InboundSenders, 1, 256, "Concurrent carrier connections posting inbound SMS (the most POSTs in flight).");
        var inboundLeases = IntOption("--inbound-leases", defaults.InboundLeases, 1, 10_000, "Leases of the inbound tenant; the SMS go to their numbers in turn.");
        var inboundDuration = DurationOption("--inbound-duration", defaults.InboundDuration, "Most measured time of the inbound measurement, however many messages are left.");
        var inboundWebhook = new Option<bool>("--inbound-webhook")
        {
            Description = "Give the inbound tenant a webhook endpoint on loopback and time deliveries to it too (--inbound-webhook false: the stream only). [default: true]",
            HelpName = "true|false",
            DefaultValueFactory = _ => defaults.InboundWebhook,
        };
        var outboundLatency = DurationOption(
            "--outbound-latency", defaults.OutboundLatency, "How long the simulated SMSC waits before answering each submit_sm (0s: at once).", allowZero: true, max: TimeSpan.FromSeconds(5));
        var outboundWindow = IntOption("--outbound-window", defaults.OutboundWindow, 1, 1_000, "Window of the bind layer's ESME: the most submit_sm waiting for submit_sm_resp at once (the silo layer's bind keeps its own).");
        var outboundSenders = IntOption("--outbound-senders", defaults.OutboundSenders, 1, 256, "Concurrent senders submitting back to back, in each outbound layer.");
        var outboundDuration = DurationOption("--outbound-duration", defaults.OutboundDuration, "Measured time of each outbound layer (bind, silo).");
        var otpDuration = DurationOption("--otp-duration", defaults.OtpDuration, "Measured time of the otp measurement (the labelled corpus read in a loop on one thread).");
        var scenarios = new Option<IReadOnlySet<Scenario>>("--scenarios")
        {
            Description = $"What to measure, comma-separated: {s_scenarioNames} (the cycles/upsert ratio needs the first two; otp alone needs no PostgreSQL). [default: all six]",
            HelpName = "list",
            CustomParser = result => ParseScenarios(result),
        };
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON document instead of tables." };
        var revision = new Option<string?>("--revision")
        {
            Description = $"A label for the code measured, printed with the results (env {RevisionVariable}; bench/run.sh passes the git commit).",
            HelpName = "label",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(RevisionVariable),
        };

        var root = new RootCommand(
            "pool-bench — PostgreSQL single-row upserts, lease + release cycles through Pool's gRPC API with durable state, pool size scaling, " +
            "inbound SMS from the carrier endpoint to the tenant's stream, outbound submits over one SMPP bind (alone and through the silo's route selector), " +
            "and one-time code extraction over the labelled SMS corpus, measured in one run on this machine. " +
            "Every scenario but otp needs the project's PostgreSQL (bench/run.sh starts it).")
        {
            duration, warmup, scalingDuration, connections, workers, poolSize, scalingSizes, maxOperations,
            inboundMessages, inboundRate, inboundSenders, inboundLeases, inboundDuration, inboundWebhook,
            outboundLatency, outboundWindow, outboundSenders, outboundDuration, otpDuration, scenarios, json, revision,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new BenchSettings
            {
                Duration = parse.GetValue(duration) ?? defaults.Duration,
                Warmup = parse.GetValue(warmup) ?? defaults.Warmup,
                ScalingDuration = parse.GetValue(scalingDuration) ?? defaults.ScalingDuration,
                Connections = parse.GetValue(connections),
                Workers = parse.GetValue(workers),
                PoolSize = parse.GetValue(poolSize),
                ScalingSizes = parse.GetValue(scalingSizes) ?? defaults.ScalingSizes,
                MaxOperations = parse.GetValue(maxOperations),
                InboundMessages = parse.GetValue(inboundMessages),
                InboundRate = parse.GetValue(inboundRate),
                InboundSenders = parse.GetValue(inboundSenders),
                InboundLeases = parse.GetValue(inboundLeases),
                InboundDuration = parse.GetValue(inboundDuration) ?? defaults.InboundDuration,
                InboundWebhook = parse.GetValue(inboundWebhook),
                OutboundLatency = parse.GetValue(outboundLatency) ?? defaults.OutboundLatency,
                OutboundWindow = parse.GetValue(outboundWindow),
                OutboundSenders = parse.GetValue(outboundSenders),
                OutboundDuration = parse.GetValue(outboundDuration) ?? defaults.OutboundDuration,
                OtpDuration = parse.GetValue(otpDuration) ?? defaults.OtpDuration,
                Scenarios = parse.GetValue(scenarios) ?? defaults.Scenarios,
            };
            return await MeasureAsync(settings, parse.GetValue(revision), parse.GetValue(json), startDirectory, cancellationToken);
        });
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> MeasureAsync(BenchSettings settings, string? revision, bool json, string startDirectory, CancellationToken cancellationToken)
    {
        var progress = Console.Error;

        // The silo runs in this process and reads appsettings.json from its content root, the current
        // directory: run it from the build output so it logs at pool-silo's levels, not at Debug.
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))
        {
            Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        }

        try
        {
            // Only the database scenarios need PostgreSQL: otp alone runs without one (and without POOL_TEST_PG).
            PostgresInfo? postgres = null;
            if (settings.NeedsDatabase)
            {
                PostgresInfo.EnsureLoopback();
                postgres = await PostgresInfo.CollectAsync(cancellationToken);
            }

            var machine = MachineInfo.Collect();
            await progress.WriteLineAsync($"pool-bench: {machine.Processors} processors, {machine.CpuModel}; {postgres?.Version ?? "no PostgreSQL (not needed)"}");

            // First, while the process runs nothing else: one thread reading the corpus, no silo in the background.
            OtpResult? otp = null;
            if (settings.Scenarios.Contains(Scenario.Otp))
            {
                otp = OtpBenchmark.Run(settings, [startDirectory, AppContext.BaseDirectory], progress);
                await progress.WriteLineAsync(
                    $"otp: {otp.MessagesPerSecond:N0} messages/s, {otp.MeanNsPerMessage:N0} ns and {otp.AllocatedBytesPerMessage:N0} B allocated per message " +
                    $"({otp.CorpusMessages:N0} corpus messages, {otp.Messages:N0} read in {otp.MeasuredSeconds:0.0} s)");
            }

            UpsertResult? upsert = null;
            if (settings.Scenarios.Contains(Scenario.Upsert))
            {
                upsert = await UpsertBenchmark.RunAsync(settings, progress, cancellationToken);
                await progress.WriteLineAsync($"upsert: {upsert.OpsPerSecond:N0} ops/s, p50 {upsert.Latency.P50Ms:0.00} ms, p99 {upsert.Latency.P99Ms:0.00} ms");
            }

            CycleResult? cycles = null;
            if (settings.Scenarios.Contains(Scenario.Cycles))
            {
                cycles = await LeaseCycleBenchmark.RunAsync(
                    settings.PoolSize, settings.Warmup, settings.Duration, settings.Workers, settings.MaxOperations, progress, cancellationToken);
                await progress.WriteLineAsync($"cycles: {cycles.CyclesPerSecond:N0} cycles/s, p50 {cycles.Cycle.P50Ms:0.0} ms, p99 {cycles.Cycle.P99Ms:0.0} ms, {cycles.ErrorCount:N0} errors");
            }

            var scaling = new List<CycleResult>();
            if (settings.Scenarios.Contains(Scenario.Scaling))
            {
                foreach (var size in settings.ScalingSizes)
                {
                    var result = await LeaseCycleBenchmark.RunAsync(
                        size, settings.Warmup, settings.ScalingDuration, settings.Workers, settings.MaxOperations, progress, cancellationToken);
                    scaling.Add(result);
                    await progress.WriteLineAsync($"scaling: pool of {size:N0}: {result.CyclesPerSecond:N0} cycles/s, {result.ErrorCount:N0} errors");
                }
            }

            InboundResult? inbound = null;
            if (settings.Scenarios.Contains(Scenario.Inbound))
            {
                inbound = await InboundBenchmark.RunAsync(settings, progress, cancellationToken);
                await progress.WriteLineAsync(
                    $"inbound: {inbound.Messages:N0} messages, {inbound.MessagesPerSecond:N0}/s; to the stream p50 {inbound.Stream.Latency.P50Ms:0.0} ms, " +
                    $"p99 {inbound.Stream.Latency.P99Ms:0.0} ms; {inbound.Stream.Missing:N0} missing, {inbound.ErrorCount:N0} errors");
            }

            OutboundResult? outbound = null;
            if (settings.Scenarios.Contains(Scenario.Outbound))
            {
                outbound = await OutboundBenchmark.RunAsync(settings, progress, cancellationToken);
            }

            var report = new BenchReport(revision, machine, postgres, ReportedSettings.Of(settings), upsert, cycles, scaling, inbound, outbound, otp);
            if (json)
            {
                await Console.Out.WriteLineAsync(report.ToJson());
            }
            else
            {
                var console = AnsiConsole.Console;
                if (Console.IsOutputRedirected)
                {
                    console.Profile.Width = 160;
                }

                report.Render(console);
            }

            return 0;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
            await progress.WriteLineAsync("pool-bench: interrupted; test databases dropped");
            return 130;
        }
        catch (InvalidOperationException ex)
        {
            await progress.WriteLineAsync($"pool-bench: error: {ex.Message}");
            return 1;
        }
    }

    /// <summary>An optional duration (absent: null, and the caller's default applies, shown in the description as "10s" rather than "00:00:10").</summary>
    private static Option<TimeSpan?> DurationOption(string name, TimeSpan defaultValue, string description, bool allowZero = false, TimeSpan? max = null)
    {
        var most = max ?? TimeSpan.FromMinutes(10);
        return new(name)
        {
            Description = $"{description} [default: {Show(defaultValue)}]",
            HelpName = "duration",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (TryParseDuration(text, out var value) && (value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero)) && value <= most)
                {
                    return value;
                }

                result.AddError($"{name} '{text}' is not a duration {(allowZero ? "from 0s" : "above 0s")} to {Show(most)} (e.g. 10s, 500ms, 1m)");
                return default;
            },
        };
    }

    /// <summary>"50ms" under a second, "10s" under a minute, "10m" in whole minutes.</summary>
    private static string Show(TimeSpan span) =>
        span < TimeSpan.FromSeconds(1) ? $"{span.TotalMilliseconds:0.#}ms"
        : span >= TimeSpan.FromMinutes(1) && span.Seconds == 0 && span.Milliseconds == 0 ? $"{span.TotalMinutes:0}m"
        : $"{span.TotalSeconds:0.#}s";

    private static Option<int> IntOption(string name, int defaultValue, int min, int max, string description)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = "n",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError($"{name} must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not {value.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        return option;
    }

    /// <summary>"10s", "500ms", "1m", or a plain number of seconds.</summary>
    private static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount) || amount < 0)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * unit);
        return true;
    }

    private static List<int> ParseSizes(ArgumentResult result)
    {
        var sizes = new List<int>();
        foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var text = part.Replace("_", "", StringComparison.Ordinal);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) || size < 1 || size > BenchSettings.MaxPoolSize)
            {
                result.AddError($"--scaling-sizes: '{part}' is not a pool size from 1 to {BenchSettings.MaxPoolSize.ToString(CultureInfo.InvariantCulture)}");
                return [];
            }

            sizes.Add(size);
        }

        if (sizes.Count is 0 or > 8)
        {
            result.AddError("--scaling-sizes takes 1 to 8 pool sizes, e.g. 1000,10000,100000");
        }

        return sizes;
    }

    private static HashSet<Scenario> ParseScenarios(ArgumentResult result)
    {
        var scenarios = new HashSet<Scenario>();
        foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<Scenario>(part, ignoreCase: true, out var scenario) || !Enum.IsDefined(scenario))
            {
                result.AddError($"--scenarios: '{part}' is not one of {s_scenarioNames}");
                return scenarios;
            }

            scenarios.Add(scenario);
        }

        if (scenarios.Count == 0)
        {
            result.AddError($"--scenarios needs at least one of {s_scenarioNames}");
        }

        return scenarios;
    }
}
