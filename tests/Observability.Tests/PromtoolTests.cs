using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Pool.Observability.Tests;

/// <summary>
/// Prometheus' own checker accepts the alert rules and every PromQL expression of the dashboard
/// (Grafana's variables replaced by values Grafana could give them). promtool comes with Debian's
/// <c>prometheus</c> package, which scripts/test.sh installs.
/// </summary>
public sealed class PromtoolTests
{
    private static readonly string s_promtool = Environment.GetEnvironmentVariable("POOL_TEST_PROMTOOL") is { Length: > 0 } path ? path : "/usr/bin/promtool";

    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var (exitCode, output) = await PromtoolAsync(ObservabilityFiles.RulesPath);

        Assert.True(exitCode == 0, $"promtool check rules {ObservabilityFiles.RulesPath} failed:{Environment.NewLine}{output}");
    }

    [Fact]
    public async Task Promtool_accepts_every_expression_of_the_dashboard()
    {
        var expressions = ObservabilityFiles.DashboardExpressions();
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        foreach (var (expression, i) in expressions.Select((e, i) => (e.Expression, i)))
        {
            var concrete = expression.Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$pool", ".*", StringComparison.Ordinal);
            rules.Append(System.Globalization.CultureInfo.InvariantCulture, $"      - record: dashboard_expression_{i}\n        expr: {JsonSerializer.Serialize(concrete)}\n");
        }

        var file = Path.Combine(Path.GetTempPath(), $"pool-dashboard-{Guid.NewGuid():n}.rules.yaml");
        await File.WriteAllTextAsync(file, rules.ToString());
        try
        {
            var (exitCode, output) = await PromtoolAsync(file);

            Assert.True(exitCode == 0, $"promtool refused an expression of the dashboard (rule dashboard_expression_N is the N-th of {expressions.Count}):{Environment.NewLine}{output}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(string rulesFile)
    {
        Assert.True(File.Exists(s_promtool), $"promtool is not installed at {s_promtool}: scripts/test.sh installs Debian's prometheus package (apt-get install prometheus), or set POOL_TEST_PROMTOOL to a promtool binary.");
        using var process = Process.Start(new ProcessStartInfo(s_promtool, ["check", "rules", rulesFile]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
