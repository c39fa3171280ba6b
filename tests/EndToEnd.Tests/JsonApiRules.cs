using System.Reflection;
using Google.Api;
using Google.Protobuf.Reflection;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>The HTTP rule of one pool.v1 method (or one of its additional bindings).</summary>
public sealed record JsonApiRoute(string Method, string Verb, string Path, string Body);

/// <summary>
/// The <c>google.api.http</c> rules of pool.v1, read from the generated descriptors of every proto
/// file of the package (every <c>*Reflection</c> class of the client assembly), so a new service or
/// method is covered without naming it here.
/// </summary>
public static class JsonApiRules
{
    public static IReadOnlyList<ServiceDescriptor> Services { get; } = [.. typeof(Leases).Assembly.GetTypes()
        .Where(type => type.Name.EndsWith("Reflection", StringComparison.Ordinal))
        .Select(type => type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
        .OfType<FileDescriptor>()
        .Where(file => file.Package == "pool.v1")
        .SelectMany(file => file.Services)];

    public static IReadOnlyList<MethodDescriptor> Methods { get; } = [.. Services.SelectMany(service => service.Methods)];

    /// <summary>The method's rule, or null when it has none.</summary>
    public static HttpRule? Rule(MethodDescriptor method) => method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);

    /// <summary>Every binding of every method that has a rule: the rule itself and its additional bindings.</summary>
    public static IReadOnlyList<JsonApiRoute> Routes { get; } = [.. Methods
        .Select(method => (method, rule: Rule(method)))
        .Where(pair => pair.rule is not null)
        .SelectMany(pair => new[] { pair.rule! }.Concat(pair.rule!.AdditionalBindings).Select(binding => Route(pair.method, binding)))];

    private static JsonApiRoute Route(MethodDescriptor method, HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => new(method.FullName, "GET", rule.Get, rule.Body),
        HttpRule.PatternOneofCase.Post => new(method.FullName, "POST", rule.Post, rule.Body),
        HttpRule.PatternOneofCase.Put => new(method.FullName, "PUT", rule.Put, rule.Body),
        HttpRule.PatternOneofCase.Patch => new(method.FullName, "PATCH", rule.Patch, rule.Body),
        HttpRule.PatternOneofCase.Delete => new(method.FullName, "DELETE", rule.Delete, rule.Body),
        _ => new(method.FullName, rule.PatternCase.ToString(), "", rule.Body),
    };
}

/// <summary>Every pool.v1 RPC has an HTTP/JSON route, and the routes form a REST API without clashes.</summary>
public sealed class JsonApiRulesTests
{
    [Fact]
    public void Every_method_of_every_pool_v1_service_has_an_http_rule()
    {
        var without = JsonApiRules.Methods.Where(method => JsonApiRules.Rule(method) is null).Select(method => method.FullName).ToList();

        Assert.True(JsonApiRules.Services.Count >= 12, $"the pool.v1 services should be found through the generated descriptors; found {JsonApiRules.Services.Count}");
        Assert.True(without.Count == 0, $"every pool.v1 method needs an option (google.api.http) in its proto; missing: {string.Join(", ", without)}");
    }

    [Fact]
    public void Every_route_is_a_versioned_path_with_a_known_verb_and_no_two_routes_clash()
    {
        var clashes = JsonApiRules.Routes.GroupBy(route => (route.Verb, route.Path)).Where(group => group.Count() > 1).Select(group => $"{group.Key.Verb} {group.Key.Path}").ToList();

        Assert.All(JsonApiRules.Routes, route =>
        {
            Assert.True(route.Path.StartsWith("/v1/", StringComparison.Ordinal), $"{route.Method}: '{route.Path}' should start with /v1/");
            Assert.Matches("^(GET|POST|PUT|PATCH|DELETE)$", route.Verb);
            // A GET or DELETE carries no body (its fields are path and query parameters); a POST, PUT or PATCH takes the whole request as its body.
            Assert.Equal(route.Verb is "GET" or "DELETE" ? "" : "*", route.Body);
        });
        Assert.True(clashes.Count == 0, $"two methods share a route: {string.Join(", ", clashes)}");
    }

    [Fact]
    public void Streaming_methods_are_GET_routes_ending_in_watch()
    {
        var streaming = JsonApiRules.Methods.Where(method => method.IsServerStreaming).ToList();

        Assert.Equal(["pool.v1.Leases.WatchMessages", "pool.v1.Leases.WatchAllMessages"], streaming.Select(method => method.FullName));
        Assert.All(streaming, method => Assert.Matches("^/v1/.+:watch$", JsonApiRules.Rule(method)!.Get));
    }
}
