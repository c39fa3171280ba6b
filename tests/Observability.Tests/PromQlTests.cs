namespace Pool.Observability.Tests;

/// <summary>The metric-name finder reads PromQL the way Prometheus does for what matters here.</summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("pool_routes_unavailable_total", "pool_routes_unavailable_total")]
    [InlineData("sum by (country, reason) (increase(pool_routes_unavailable_total[5m])) > 0", "pool_routes_unavailable_total")]
    [InlineData("sum(rate(x_total{result=\"code\", pool=~\"$pool\"}[$__rate_interval])) / sum(rate(x_total[5m]))", "x_total")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{grpc_method!=\"\"}[1h30m])))", "a_seconds_bucket")]
    [InlineData("a unless on (connection) (sum without (state) (b{state='bound'}) > 0) and c offset 5m", "a b c")]
    [InlineData("sum(a) by (pool) / ignoring(pool) group_left(country) b", "a b")]
    [InlineData("max(ring) < max(max_over_time(ring[1h])) or vector(1e3) and bool", "ring")]
    [InlineData("max by (route) (state) + sum without(a) (other)", "state other")]
    [InlineData("rate(${metric}[5m]) + 2 * up{job=\"pool\"}", "up")]
    public void Metric_names_are_the_selected_series_and_nothing_else(string expression, string expected)
    {
        Assert.Equal(expected.Split(' '), PromQl.MetricNames(expression));
    }

    [Theory]
    [InlineData("sum(rate(a[5m])")]
    [InlineData("a{job=\"pool}")]
    [InlineData("a[5m)")]
    public void A_malformed_expression_is_refused(string expression)
    {
        Assert.Throws<FormatException>(() => PromQl.MetricNames(expression));
    }
}
