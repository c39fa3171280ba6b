using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Pool.Testing;

namespace Pool.Bench.Tests;

/// <summary>
/// The benchmark command as CI runs it: the built pool-bench, started as its own process with every
/// scenario of <c>all</c> for about a second each, against the project's PostgreSQL (POOL_TEST_PG), writing
/// its results section into a copy of docs/benchmarks.md. It checks that the command works, not how fast
/// anything is.
/// </summary>
public sealed class PoolBenchCommandTests
{
    private const string Begin = "<!-- bench:results:begin -->";
    private const string End = "<!-- bench:results:end -->";
    private const string Revision = "bench-tests";
    private static readonly TimeSpan s_within = TimeSpan.FromMinutes(4);

    private static readonly string[] s_scenarios = ["otp", "upsert", "cycles", "scaling", "inbound", "verify-cycle", "smpp-submit"];
    private static readonly string[] s_withGoal = ["otp", "cycles", "scaling", "verify-cycle", "smpp-submit"];

    [Fact]
    public async Task All_runs_every_scenario_without_an_error_prints_one_json_document_with_ratios_and_rewrites_only_the_marked_results_section()
    {
        var results = Path.Combine(Path.GetTempPath(), $"pool-bench-results-{Guid.NewGuid():n}.md");
        var original = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "benchmarks.md"));
        await File.WriteAllTextAsync(results, original);
        try
        {
            var run = await RunAsync(
                "--scenarios", "all", "--duration", "1s", "--warmup", "500ms", "--scaling-sizes", "1000,10000", "--scaling-duration", "1s",
                "--inbound-messages", "200", "--otp-duration", "1s", "--smpp-duration", "1s", "--json", "--results-file", results);

            Assert.True(run.ExitCode == 0, $"pool-bench exited with {run.ExitCode}:{Environment.NewLine}{run.Error}");
            using var document = JsonDocument.Parse(run.Output);
            var root = document.RootElement;
            Assert.Equal(Revision, root.GetProperty("revision").GetString());
            Assert.True(root.GetProperty("machine").GetProperty("processors").GetInt32() > 0, "the report does not describe the machine");
            Assert.Equal(JsonValueKind.Object, root.GetProperty("postgres").ValueKind);
            var scenarios = root.GetProperty("scenarios");
            Assert.Equal(s_scenarios, scenarios.EnumerateObject().Select(p => p.Name));
            foreach (var name in s_scenarios)
            {
                var scenario = scenarios.GetProperty(name);
                Assert.True(scenario.GetProperty("error_count").GetInt64() == 0, $"scenario {name} reported errors: {scenario}");
            }

            foreach (var name in s_withGoal)
            {
                var scenario = scenarios.GetProperty(name);
                Assert.True(scenario.GetProperty("ratio").ValueKind == JsonValueKind.Number, $"scenario {name} has no ratio: {scenario.GetProperty("ratio")}");
                Assert.True(scenario.GetProperty("goal").GetProperty("checks").GetArrayLength() > 0, $"scenario {name} has no goal");
            }

            Assert.Equal([500, 0], scenarios.GetProperty("inbound").GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("target_rate").GetInt32()));
            Assert.Equal([1_000, 10_000], scenarios.GetProperty("scaling").GetProperty("sizes").EnumerateArray().Select(s => s.GetProperty("pool_size").GetInt32()));
            Assert.All(
                scenarios.GetProperty("scaling").GetProperty("sizes").EnumerateArray(),
                size => Assert.True(size.GetProperty("peak_resident_bytes").GetInt64() > 0, $"no resident memory measured: {size}"));
            var cycles = scenarios.GetProperty("cycles");
            Assert.True(cycles.GetProperty("sms_cycles_including_warmup").GetInt64() > 0, "no cycle's lease received an SMS");
            Assert.True(scenarios.GetProperty("verify-cycle").GetProperty("cycles_including_warmup").GetInt64() > 0, "no verification was approved");

            var written = await File.ReadAllTextAsync(results);
            var (before, section, after) = Split(written);
            var (originalBefore, _, originalAfter) = Split(original);
            Assert.Equal(originalBefore, before);
            Assert.Equal(originalAfter, after);
            Assert.Contains($"revision `{Revision}`", section, StringComparison.Ordinal);
            foreach (var name in s_scenarios)
            {
                Assert.Contains($"**{name}: ", section.Replace("\\", "", StringComparison.Ordinal), StringComparison.Ordinal);
            }

            Assert.Contains("| goal |", section, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(results);
        }
    }

    /// <summary>The text up to the begin marker's line, between the marker lines, and from the end marker's line on (the prose may quote the markers inside a line).</summary>
    private static (string Before, string Section, string After) Split(string text)
    {
        var begin = text.IndexOf($"\n{Begin}\n", StringComparison.Ordinal);
        var end = text.IndexOf($"\n{End}\n", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "the results file lost its marker lines");
        return (text[..(begin + Begin.Length + 2)], text[(begin + Begin.Length + 2)..end], text[end..]);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var assembly = typeof(PoolBenchCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PoolBenchAssembly").Value!;
        Assert.True(File.Exists(assembly), $"pool-bench is not built at {assembly} (build Pool.sln in the configuration the tests run in)");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        info.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment[TestDatabase.ServerVariable] = TestDatabase.ServerConnectionString;
        info.Environment["POOL_BENCH_REVISION"] = Revision;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet pool-bench");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"pool-bench did not finish within {s_within.TotalMinutes:0} minutes; its progress:{Environment.NewLine}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
