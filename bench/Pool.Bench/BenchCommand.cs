using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Grpc.Core;
using Pool.Bench.Reporting;
using Spectre.Console;

namespace Pool.Bench;

/// <summary>pool-bench: measures durable lease + release cycles against PostgreSQL's own upsert rate, pool size scaling, inbound SMS to the stream, verification cycles, SMPP submits and one-time code extraction, in one run.</summary>
internal static class BenchCommand
{
    public const string RevisionVariable = "POOL_BENCH_REVISION";

    public static async Task<int> RunAsync(string[] args)
    {
        var startDirectory = Environment.CurrentDirectory;
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var defaults = new BenchSettings();

        var set = new Argument<string?>("set")
        {
            Description = $"'{ScenarioNames.All}': every scenario with the defaults of a full run (scaling up to {BenchSettings.AllScalingSizes[^1]:N0} numbers, inbound at " +
                $"{BenchSettings.AllInboundRate}/s and at capacity), then the results section of {MarkdownReport.DefaultFile} rewritten (same as --scenarios {ScenarioNames.All}).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        set.AcceptOnlyFromAmong(ScenarioNames.All);
        var duration = DurationOption("--duration", defaults.Duration, "Measured time of the upsert, the lease + release cycles and the verify cycles: 10s, 500ms, 1m.");
        var warmup = DurationOption("--warmup", defaults.Warmup, "Unrecorded warm-up before each measurement (JIT, connections, activations).", allowZero: true);
        var scalingDuration = DurationOption("--scaling-duration", defaults.ScalingDuration, "Measured time of each pool size in the scaling measurement.");
        var connections = IntOption("--connections", defaults.Connections, 1, 256, "Concurrent PostgreSQL connections of the upsert measurement.");
        var workers = IntOption("--workers", defaults.Workers, 1, 256, "Concurrent gRPC clients looping CreateLease → ReleaseLease, and StartVerification → CheckVerification.");
        var poolSize = IntOption("--pool-size", defaults.PoolSize, 1, BenchSettings.MaxPoolSize, "Numbers in the pool of the lease + release measurement.");
        var maxOperations = IntOption("--max-ops", defaults.MaxOperations, 1_000, 50_000_000, "Most operations one measurement runs (warm-up included), however long it lasts.");
        var scalingSizes = new Option<IReadOnlyList<int>>("--scaling-sizes")
        {
            Description = $"Pool sizes of the scaling measurement, comma-separated, each up to {BenchSettings.MaxPoolSize:N0} (a million numbers take a while to provision). " +
                $"[default: {string.Join(',', defaults.ScalingSizes)}; with {ScenarioNames.All}: {string.Join(',', BenchSettings.AllScalingSizes)}]",
            HelpName = "sizes",
            CustomParser = result => ParseSizes(result),
        };
        var cycleSmsShare = new Option<double>("--cycle-sms-share")
        {
            Description = "Share of lease + release cycles (0 to 1) whose lease receives a signed SMS through the HTTP carrier endpoint before its release, " +
                $"as a client's leases do (the tenant's anti-scan rule throttles a tenant whose leases stay silent).",
            HelpName = "share",
            DefaultValueFactory = _ => defaults.CycleSmsShare,
        };
        cycleSmsShare.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!double.IsFinite(value) || value is < 0 or > 1)
            {
                result.AddError($"--cycle-sms-share must be from 0 to 1, not {value.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        var inboundMessages = IntOption("--inbound-messages", defaults.InboundMessages, 1, 100_000, "Measured inbound SMS posted to the carrier endpoint (after the warm-up).");
        var inboundRate = IntOption(
            "--inbound-rate", defaults.InboundRate, 0, 10_000,
            $"Inbound SMS posted per second; 0: no set rate, each sender posts again as soon as it is answered (with {ScenarioNames.All}: default {BenchSettings.AllInboundRate}, then a second run at 0).");
        var inboundSenders = IntOption("--inbound-senders", defaults.InboundSenders, 1, 256, "Concurrent carrier connections posting inbound SMS (the most POSTs in flight).");
        var inboundLeases = IntOption("--inbound-leases", defaults.InboundLeases, 1, 10_000, "Leases of the inbound tenant; the SMS go to their numbers in turn.");
        var inboundDuration = DurationOption("--inbound-duration", defaults.InboundDuration, "Most measured time of the inbound measurement, however many messages are left.");
        var inboundWebhook = new Option<bool>("--inbound-webhook")
        {
            Description = "Give the inbound tenant a webhook endpoint on loopback and time deliveries to it too (--inbound-webhook false: the stream only). [default: true]",
            HelpName = "true|false",
            DefaultValueFactory = _ => defaults.InboundWebhook,
        };
        var smppLatency = DurationOption(
            "--smpp-latency", defaults.SmppLatency, "How long the simulated SMSC of smpp-submit waits before answering each submit_sm (0s: at once).",
            allowZero: true, max: TimeSpan.FromSeconds(5), alias: "--outbound-latency");
        var smppWindow = IntOption(
            "--smpp-window", defaults.SmppWindow, 1, 1_000, "Window of the smpp-submit bind layer's ESME: the most submit_sm waiting for submit_sm_resp at once (the silo layer's bind keeps its own).",
            alias: "--outbound-window");
        var smppSenders = IntOption("--smpp-senders", defaults.SmppSenders, 1, 256, "Concurrent senders submitting back to back, in each smpp-submit layer.", alias: "--outbound-senders");
        var smppDuration = DurationOption("--smpp-duration", defaults.SmppDuration, "Measured time of each smpp-submit layer (bind, silo).", alias: "--outbound-duration");
        var otpDuration = DurationOption("--otp-duration", defaults.OtpDuration, "Measured time of the otp measurement (the labelled corpus read in a loop on one thread).");
        var scenarios = new Option<ScenarioSelection>("--scenarios")
        {
            Description = $"What to measure, comma-separated: {ScenarioNames.List} ('outbound' is smpp-submit), or '{ScenarioNames.All}' (see the argument above). " +
                "The cycles and verify-cycle ratios need upsert; otp alone needs no PostgreSQL. [default: every scenario, once each, without the results rewrite]",
            HelpName = "list",
            CustomParser = result => ParseScenarios(result),
        };
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON document instead of tables." };
        var noWrite = new Option<bool>("--no-write") { Description = $"After a run of {ScenarioNames.All}, leave the results section of {MarkdownReport.DefaultFile} as it is." };
        var resultsFile = new Option<string?>("--results-file")
        {
            Description = $"The Markdown file whose results section (between {MarkdownReport.BeginMarker} and {MarkdownReport.EndMarker}) a run of {ScenarioNames.All} rewrites. " +
                $"[default: {MarkdownReport.DefaultFile} of the repository]",
            HelpName = "path",
        };
        var revision = new Option<string?>("--revision")
        {
            Description = $"A label for the code measured, printed with the results (env {RevisionVariable}; bench/run.sh passes the git commit).",
            HelpName = "label",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(RevisionVariable),
        };

        var root = new RootCommand(
            "pool-bench — PostgreSQL single-row upserts, lease + release cycles through Pool's gRPC API with durable state, pool size scaling with memory and GC, " +
            "inbound SMS from the carrier endpoint to the tenant's stream, verification cycles through the gRPC API and the embedded SMSC, " +
            "outbound submits over one SMPP bind (alone and through the silo's route selector), and one-time code extraction over the labelled SMS corpus, " +
            "measured in one run on this machine. Every scenario but otp needs the project's PostgreSQL (bench/run.sh starts it).")
        {
            set, duration, warmup, scalingDuration, connections, workers, poolSize, scalingSizes, maxOperations, cycleSmsShare,
            inboundMessages, inboundRate, inboundSenders, inboundLeases, inboundDuration, inboundWebhook,
            smppLatency, smppWindow, smppSenders, smppDuration, otpDuration, scenarios, json, noWrite, resultsFile, revision,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var selection = parse.GetValue(scenarios);
            var all = parse.GetValue(set) == ScenarioNames.All || selection?.All == true;
            var rate = parse.GetResult(inboundRate) is { Implicit: false } || !all ? parse.GetValue(inboundRate) : BenchSettings.AllInboundRate;
            var settings = new BenchSettings
            {
                Duration = parse.GetValue(duration) ?? defaults.Duration,
                Warmup = parse.GetValue(warmup) ?? defaults.Warmup,
                ScalingDuration = parse.GetValue(scalingDuration) ?? defaults.ScalingDuration,
                Connections = parse.GetValue(connections),
                Workers = parse.GetValue(workers),
                PoolSize = parse.GetValue(poolSize),
                ScalingSizes = parse.GetValue(scalingSizes) ?? (all ? BenchSettings.AllScalingSizes : defaults.ScalingSizes),
                MaxOperations = parse.GetValue(maxOperations),
                CycleSmsShare = parse.GetValue(cycleSmsShare),
                InboundMessages = parse.GetValue(inboundMessages),
                InboundRate = rate,
                InboundAtCapacity = all && rate != 0,
                InboundSenders = parse.GetValue(inboundSenders),
                InboundLeases = parse.GetValue(inboundLeases),
                InboundDuration = parse.GetValue(inboundDuration) ?? defaults.InboundDuration,
                InboundWebhook = parse.GetValue(inboundWebhook),
                SmppLatency = parse.GetValue(smppLatency) ?? defaults.SmppLatency,
                SmppWindow = parse.GetValue(smppWindow),
                SmppSenders = parse.GetValue(smppSenders),
                SmppDuration = parse.GetValue(smppDuration) ?? defaults.SmppDuration,
                OtpDuration = parse.GetValue(otpDuration) ?? defaults.OtpDuration,
                Scenarios = all ? new HashSet<Scenario>(Enum.GetValues<Scenario>()) : selection?.Scenarios ?? defaults.Scenarios,
                RunsAll = all,
            };

            if (all && !parse.GetValue(noWrite))
            {
                try
                {
                    settings = settings with { ResultsFile = ResultsFile(parse.GetValue(resultsFile), startDirectory) };
                }
                catch (InvalidOperationException ex)
                {
                    await Console.Error.WriteLineAsync($"pool-bench: error: {ex.Message} (--no-write runs without writing them)");
                    return 1;
                }
            }

            return await MeasureAsync(settings, parse.GetValue(revision), parse.GetValue(json), startDirectory, cancellationToken);
        });
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>
    /// The file a run of all rewrites: <paramref name="given"/> (relative to where pool-bench was started), or
    /// docs/benchmarks.md of the repository (found as the otp scenario finds its corpus). Checked before anything
    /// is measured: a file without its marker lines stops the run at once.
    /// </summary>
    private static string ResultsFile(string? given, string startDirectory)
    {
        var path = given is { Length: > 0 }
            ? Path.GetFullPath(given, startDirectory)
            : Path.Combine(OtpBenchmark.FindRepositoryRoot([startDirectory, AppContext.BaseDirectory]), MarkdownReport.DefaultFile);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"the results file {path} does not exist");
        }

        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        var begin = lines.IndexOf(MarkdownReport.BeginMarker);
        if (begin < 0 || lines.IndexOf(MarkdownReport.EndMarker, begin) < 0)
        {
            throw new InvalidOperationException($"the results file {path} has no line {MarkdownReport.BeginMarker} followed by a line {MarkdownReport.EndMarker}");
        }

        return path;
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
            await progress.WriteLineAsync(
                $"pool-bench: {machine.Processors} processors, {machine.CpuModel}; {postgres?.Version ?? "no PostgreSQL (not needed)"}; " +
                $"scenarios: {string.Join(", ", settings.Scenarios.Order().Select(ScenarioNames.Of))}{(settings.RunsAll ? $" ({ScenarioNames.All})" : "")}");

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
                cycles = await LeaseCycleBenchmark.RunAsync(CycleRun.Of(settings, settings.PoolSize, settings.Duration), progress, cancellationToken);
                await progress.WriteLineAsync(
                    $"cycles: {cycles.CyclesPerSecond:N0} cycles/s, p50 {cycles.Cycle.P50Ms:0.0} ms, p99 {cycles.Cycle.P99Ms:0.0} ms, " +
                    $"{cycles.SmsCyclesIncludingWarmup:N0} of {cycles.CyclesIncludingWarmup:N0} cycles with an SMS, {cycles.ErrorCount:N0} errors");
            }

            ScalingResult? scaling = null;
            if (settings.Scenarios.Contains(Scenario.Scaling))
            {
                var sizes = new List<CycleResult>();
                foreach (var size in settings.ScalingSizes)
                {
                    var result = await LeaseCycleBenchmark.RunAsync(CycleRun.Of(settings, size, settings.ScalingDuration), progress, cancellationToken);
                    sizes.Add(result);
                    await progress.WriteLineAsync(
                        $"scaling: pool of {size:N0}: imported in {result.ProvisioningSeconds:0.0} s, {result.CyclesPerSecond:N0} cycles/s, CreateLease p50 {result.CreateLease.P50Ms:0.0} ms, " +
                        $"RSS {Reporting.ReportTables.Bytes(result.Process.ResidentBytes)} (peak {Reporting.ReportTables.Bytes(result.Process.PeakResidentBytes)}), " +
                        $"GC pauses {result.Process.Gc.PauseTotalMs:0} ms, {result.ErrorCount:N0} errors");
                }

                scaling = ScalingResult.Of(sizes);
            }

            var inbound = new List<InboundResult>();
            if (settings.Scenarios.Contains(Scenario.Inbound))
            {
                foreach (var rate in settings.InboundAtCapacity ? [settings.InboundRate, 0] : new[] { settings.InboundRate })
                {
                    var result = await InboundBenchmark.RunAsync(settings, rate, progress, cancellationToken);
                    inbound.Add(result);
                    await progress.WriteLineAsync(
                        $"inbound at {InboundBenchmark.Rate(rate)}: {result.Messages:N0} messages, {result.MessagesPerSecond:N0}/s; to the stream p50 {result.Stream.Latency.P50Ms:0.0} ms, " +
                        $"p99 {result.Stream.Latency.P99Ms:0.0} ms; {result.Stream.Missing:N0} missing, {result.ErrorCount:N0} errors");
                }
            }

            VerifyCycleResult? verify = null;
            if (settings.Scenarios.Contains(Scenario.VerifyCycle))
            {
                verify = await VerifyCycleBenchmark.RunAsync(settings, progress, cancellationToken);
                await progress.WriteLineAsync(
                    $"verify-cycle: {verify.CyclesPerSecond:N0} cycles/s, p50 {verify.Cycle.P50Ms:0.0} ms, p99 {verify.Cycle.P99Ms:0.0} ms, {verify.ErrorCount:N0} errors");
            }

            SmppSubmitResult? smpp = null;
            if (settings.Scenarios.Contains(Scenario.SmppSubmit))
            {
                smpp = await SmppSubmitBenchmark.RunAsync(settings, progress, cancellationToken);
            }

            var report = new BenchReport(revision, machine, postgres, ReportedSettings.Of(settings), otp, upsert, cycles, scaling, inbound, verify, smpp);
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

                ConsoleReport.Render(report, console);
            }

            if (settings.ResultsFile is { } file)
            {
                MarkdownReport.Rewrite(file, MarkdownReport.Render(report));
                await progress.WriteLineAsync($"pool-bench: results written to {file}");
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
    private static Option<TimeSpan?> DurationOption(string name, TimeSpan defaultValue, string description, bool allowZero = false, TimeSpan? max = null, string? alias = null)
    {
        var most = max ?? TimeSpan.FromMinutes(10);
        return new(name, alias is null ? [] : [alias])
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

    private static Option<int> IntOption(string name, int defaultValue, int min, int max, string description, string? alias = null)
    {
        var option = new Option<int>(name, alias is null ? [] : [alias])
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

    private static ScenarioSelection ParseScenarios(ArgumentResult result)
    {
        var scenarios = new HashSet<Scenario>();
        var all = false;
        foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (string.Equals(part, ScenarioNames.All, StringComparison.OrdinalIgnoreCase))
            {
                all = true;
            }
            else if (ScenarioNames.TryParse(part, out var scenario))
            {
                scenarios.Add(scenario);
            }
            else
            {
                result.AddError($"--scenarios: '{part}' is not one of {ScenarioNames.List}, outbound (smpp-submit) or {ScenarioNames.All}");
                return new ScenarioSelection(scenarios, all);
            }
        }

        if (scenarios.Count == 0 && !all)
        {
            result.AddError($"--scenarios needs at least one of {ScenarioNames.List}, or {ScenarioNames.All}");
        }

        return new ScenarioSelection(scenarios, all);
    }

    /// <summary>The scenarios named by --scenarios, and whether it named <c>all</c>.</summary>
    private sealed record ScenarioSelection(IReadOnlySet<Scenario> Scenarios, bool All);
}
