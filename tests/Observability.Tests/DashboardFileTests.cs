namespace Pool.Observability.Tests;

/// <summary>deploy/observability/grafana/pool-dashboard.json is a Grafana dashboard that imports anywhere.</summary>
public sealed class DashboardFileTests
{
    private static readonly string[] s_rows = ["Leases", "Inbound SMS", "Webhooks", "Outbound verification and carriers", "API", "Orleans", "Database (Npgsql)"];

    [Fact]
    public void The_dashboard_parses_and_asks_for_its_Prometheus_data_source()
    {
        using var document = ObservabilityFiles.Dashboard();
        var root = document.RootElement;

        Assert.True(root.GetProperty("schemaVersion").GetInt32() >= 39, "a schema version current Grafana reads without migrating");
        Assert.False(string.IsNullOrEmpty(root.GetProperty("uid").GetString()), "a fixed uid, so that re-importing updates the dashboard");
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
        var datasource = Assert.Single(variables, v => v.GetProperty("type").GetString() == "datasource");
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());
        Assert.False(root.TryGetProperty("__inputs", out _), "no import-time inputs: the data source is chosen in the dashboard");
    }

    [Fact]
    public void Every_panel_queries_the_chosen_data_source_and_has_a_unique_id()
    {
        using var document = ObservabilityFiles.Dashboard();
        var panels = ObservabilityFiles.Panels(document.RootElement).ToList();

        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var graphs = panels.Where(p => p.GetProperty("type").GetString() != "row").ToList();
        Assert.All(graphs, panel =>
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has a query");
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), $"panel '{title}' has an expression in each query"));
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("description").GetString()), $"panel '{title}' says what it shows");
        });
    }

    [Fact]
    public void The_dashboard_has_a_row_for_each_part_of_Pool()
    {
        using var document = ObservabilityFiles.Dashboard();
        var rows = ObservabilityFiles.Panels(document.RootElement).Where(p => p.GetProperty("type").GetString() == "row").Select(p => p.GetProperty("title").GetString()).ToList();

        Assert.Equal(s_rows, rows);
    }

    [Fact]
    public void Every_expression_of_the_dashboard_is_well_formed_PromQL_naming_a_metric()
    {
        Assert.All(ObservabilityFiles.DashboardExpressions(), e => Assert.True(PromQl.MetricNames(e.Expression).Count > 0, $"{e.Where} names a metric: {e.Expression}"));
    }
}
