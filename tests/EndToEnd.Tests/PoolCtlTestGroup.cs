using System.Text.Json;
using Pool.Cli;

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

/// <summary>Runs poolctl in-process against the fixture's Pool, as an operator would from a shell.</summary>
public static class PoolCtlRunner
{
    public static async Task<PoolCtlRun> RunAsync(PoolFixture fixture, string[] args, string? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(standardInput ?? "");
        var exit = await PoolCtl.RunAsync(["--api", fixture.Pool.GrpcAddress, .. args], output, error, input: input);
        return new PoolCtlRun(exit, output.ToString(), error.ToString());
    }
}
