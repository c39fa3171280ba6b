using System.Text.RegularExpressions;

namespace Pool.Observability.Tests;

/// <summary>deploy/observability/prometheus/pool-alerts.yaml is a Prometheus rules file with the alerts operators rely on.</summary>
public sealed partial class AlertRuleFileTests
{
    private static readonly string[] s_severities = ["critical", "warning"];

    [Fact]
    public void The_rules_parse_and_hold_the_alerts_the_runbook_names()
    {
        var alerts = ObservabilityFiles.Rules().Select(r => r.Alert).ToList();

        Assert.Subset(alerts.ToHashSet(), new HashSet<string> { "PoolNoRouteForCountry", "PoolWebhookBacklogGrowing", "PoolNearlyExhausted", "PoolSmppBindDown", "PoolSiloDown", "PoolApiServerErrors" });
        Assert.Equal(alerts.Count, alerts.Distinct().Count());
    }

    [Fact]
    public void Every_alert_waits_a_while_has_a_severity_and_says_what_happened()
    {
        Assert.All(ObservabilityFiles.Rules(), rule =>
        {
            Assert.Matches(AlertName(), rule.Alert);
            Assert.True(rule.For is not null && Duration().IsMatch(rule.For), $"{rule.Alert} has a 'for:' duration, so that one bad scrape does not page");
            Assert.Contains(rule.Labels.GetValueOrDefault("severity"), s_severities);
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("summary")), $"{rule.Alert} has a summary");
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("description")), $"{rule.Alert} has a description");
            Assert.True(PromQl.MetricNames(rule.Expression).Count > 0, $"{rule.Alert} is well-formed PromQL naming a metric: {rule.Expression}");
        });
    }

    [GeneratedRegex("^Pool[A-Z][A-Za-z]+$")]
    private static partial Regex AlertName();

    [GeneratedRegex("^([0-9]+(ms|s|m|h|d|w|y))+$")]
    private static partial Regex Duration();
}
