namespace Pool.Observability.Tests;

/// <summary>
/// Every metric the dashboard and the alert rules name is one a running Pool exports at /metrics once
/// it has carried traffic: a panel or an alert over a name Pool does not export would stay empty or
/// silent without anyone noticing.
/// </summary>
[Collection(ObservedPoolGroup.Name)]
public sealed class MetricsCoverageTests(ObservedPool pool)
{
    /// <summary>Series Prometheus records itself for each scrape target; no exporter serves them.</summary>
    private static readonly HashSet<string> s_recordedByPrometheus = new(StringComparer.Ordinal) { "up", "scrape_duration_seconds", "scrape_samples_scraped" };

    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alert_rules_name_is_exported_at_metrics()
    {
        var named = ObservabilityFiles.DashboardExpressions().Concat(ObservabilityFiles.RuleExpressions())
            .SelectMany(e => PromQl.MetricNames(e.Expression).Select(name => (Name: name, e.Where)))
            .ToList();

        // Gauges read from the database appear with the first refresh after the traffic (every 15 s):
        // scrape again until every name is there or the refresh has surely run.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        List<string> missing;
        while (true)
        {
            var scrape = await pool.ScrapeAsync();
            await File.WriteAllTextAsync(Artifacts.PathOf("metrics.txt"), scrape);
            var exported = Scrape.SampleNames(scrape);
            missing = named.Where(n => !exported.Contains(n.Name) && !s_recordedByPrometheus.Contains(n.Name))
                .GroupBy(n => n.Name, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"  {g.Key} (in {string.Join(", ", g.Select(n => n.Where).Distinct().Take(3))})")
                .ToList();
            if (missing.Count == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.NotEmpty(named);
        Assert.True(
            missing.Count == 0,
            $"{missing.Count} of {named.Select(n => n.Name).Distinct().Count()} metrics named in deploy/observability are not in /metrics "
            + $"(the scrape is saved in {Artifacts.PathOf("metrics.txt")}):{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }

    [Fact]
    public async Task Database_metrics_name_the_connection_pool_never_the_connection_string()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        string scrape;
        do
        {
            scrape = await pool.ScrapeAsync();
        }
        while (!scrape.Contains("\ndb_client_connection_count", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Delay());

        Assert.DoesNotContain("db_client_connection_pool_name", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("Host=", scrape, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Username=", scrape, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Password", scrape, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        return true;
    }
}
