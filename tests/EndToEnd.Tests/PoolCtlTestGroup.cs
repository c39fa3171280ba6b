using System.Text.Json;
using Pool.Cli;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>The poolctl test classes share one running Pool, one class at a time (the machine is small).</summary>
[CollectionDefinition(Name)]
public sealed class PoolCtlTestGroup : ICollectionFixture<PoolFixture>
{
    public const string Name = "poolctl";
}

/// <summary>What one poolctl run printed and how it exited.</summary>
public sealed record PoolCtlRun(int Exit, string Out, string Err)
{
    /// <summary>The single JSON object printed with --json.</summary>
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    /// <summary>The JSON objects printed one per line by a list with --json.</summary>
    public IReadOnlyList<JsonElement> JsonLines =>
        [.. Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => JsonDocument.Parse(line).RootElement)];

    public override string ToString() => $"exit {Exit}; out: {Out}; err: {Err}";
}

/// <summary>
/// Runs poolctl in-process against the fixture's Pool, as an operator would from a shell: with the
/// fixture's admin key unless told otherwise, and blind to the environment of the machine running the
/// tests (its POOL_API_KEY or POOL_API_KEY_FILE must not decide an outcome).
/// </summary>
public static class PoolCtlRunner
{
    /// <summary>Runs poolctl against <paramref name="pool"/> as <paramref name="apiKey"/>, seeing only <paramref name="environment"/>.</summary>
    public static async Task<PoolCtlRun> RunOnAsync(PoolProcess pool, string apiKey, string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PoolCtl.RunAsync(
            ["--api", pool.GrpcAddress, "--api-key", apiKey, .. args], output, error, input: TextReader.Null,
            environment: name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);
        return new PoolCtlRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>No environment variables at all.</summary>
    public static readonly Func<string, string?> NoEnvironment = _ => null;

    public static Task<PoolCtlRun> RunAsync(PoolFixture fixture, string[] args, string? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        return RunAsAsync(fixture, fixture.AdminKey, args, standardInput);
    }

    /// <summary>Runs with <paramref name="apiKey"/> as --api-key, or with no --api-key when it is null.</summary>
    public static async Task<PoolCtlRun> RunAsAsync(
        PoolFixture fixture, string? apiKey, string[] args, string? standardInput = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(standardInput ?? "");
        string[] key = apiKey is null ? [] : ["--api-key", apiKey];
        var exit = await PoolCtl.RunAsync(["--api", fixture.Pool.GrpcAddress, .. key, .. args], output, error, input: input, environment: environment ?? NoEnvironment);
        return new PoolCtlRun(exit, output.ToString(), error.ToString());
    }
}
