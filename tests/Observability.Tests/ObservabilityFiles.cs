using System.Text.Json;
using Pool.Testing;
using YamlDotNet.RepresentationModel;

namespace Pool.Observability.Tests;

/// <summary>One PromQL expression of deploy/observability and where it stands (a panel, an alert, a variable).</summary>
public sealed record NamedExpression(string Where, string Expression);

/// <summary>One Prometheus alerting rule as the rules file gives it.</summary>
public sealed record AlertRule(string Group, string Alert, string Expression, string? For, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

/// <summary>The dashboard and alert rules shipped in deploy/observability, read as Grafana and Prometheus read them.</summary>
public static class ObservabilityFiles
{
    public static string DashboardPath { get; } = Path.Combine(Repository.Root, "deploy", "observability", "grafana", "pool-dashboard.json");

    public static string RulesPath { get; } = Path.Combine(Repository.Root, "deploy", "observability", "prometheus", "pool-alerts.yaml");

    /// <summary>The dashboard JSON (throws <see cref="JsonException"/> if it does not parse).</summary>
    public static JsonDocument Dashboard() => JsonDocument.Parse(File.ReadAllText(DashboardPath));

    /// <summary>Every panel of the dashboard, rows and the panels inside collapsed rows included.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var inner))
            {
                foreach (var nested in inner.EnumerateArray())
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>The PromQL of every panel target and every query variable of the dashboard.</summary>
    public static IReadOnlyList<NamedExpression> DashboardExpressions()
    {
        using var document = Dashboard();
        var expressions = new List<NamedExpression>();
        foreach (var panel in Panels(document.RootElement))
        {
            if (!panel.TryGetProperty("targets", out var targets))
            {
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                if (target.TryGetProperty("expr", out var expr))
                {
                    expressions.Add(new NamedExpression($"panel '{panel.GetProperty("title").GetString()}'", expr.GetString() ?? ""));
                }
            }
        }

        foreach (var variable in document.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() != "query")
            {
                continue;
            }

            var query = variable.GetProperty("query");
            var text = query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString() ?? "" : query.GetString() ?? "";
            expressions.Add(new NamedExpression($"variable '{variable.GetProperty("name").GetString()}'", LabelValuesSelector(text)));
        }

        return expressions;
    }

    /// <summary>The alerting rules of the rules file (throws YamlDotNet's exceptions if it does not parse).</summary>
    public static IReadOnlyList<AlertRule> Rules()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RulesPath))
        {
            yaml.Load(reader);
        }

        var rules = new List<AlertRule>();
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        foreach (var group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
        {
            var name = Scalar(group, "name") ?? throw new FormatException("a rule group without a name");
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                rules.Add(new AlertRule(
                    name,
                    Scalar(rule, "alert") ?? "",
                    Scalar(rule, "expr") ?? "",
                    Scalar(rule, "for"),
                    Map(rule, "labels"),
                    Map(rule, "annotations")));
            }
        }

        return rules;
    }

    /// <summary>The PromQL of every alerting rule.</summary>
    public static IReadOnlyList<NamedExpression> RuleExpressions() => [.. Rules().Select(r => new NamedExpression($"alert {r.Alert}", r.Expression))];

    /// <summary>The selector inside Grafana's <c>label_values(selector, label)</c>, or the query itself.</summary>
    private static string LabelValuesSelector(string query)
    {
        const string LabelValues = "label_values(";
        if (!query.StartsWith(LabelValues, StringComparison.Ordinal))
        {
            return query;
        }

        var inner = query[LabelValues.Length..query.LastIndexOf(')')];
        var comma = inner.LastIndexOf(',');
        return comma < 0 ? "" : inner[..comma];
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static Dictionary<string, string> Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? ((YamlMappingNode)value).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? "", p => ((YamlScalarNode)p.Value).Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
