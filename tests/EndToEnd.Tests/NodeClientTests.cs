using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pool.Testing;
using Pool.V1;
using Xunit.Abstractions;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// The lease flow driven from another language: examples/node/lease-flow.mjs (Node.js, @grpc/grpc-js,
/// the .proto files loaded at run time) against a real Pool.
/// </summary>
public sealed class NodeClientTests(PoolFixture fixture, ITestOutputHelper output) : IClassFixture<PoolFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly Numbers.NumbersClient _numbers = new(fixture.Admin);
    private readonly Tenants.TenantsClient _tenants = new(fixture.Admin);

    [Fact]
    public async Task A_node_client_creates_reads_extends_and_releases_a_lease()
    {
        var (pool, numbers) = PoolFixture.NewPool(2);
        await _numbers.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        var key = await TenantKeyAsync();

        var run = await RunAsync(key, pool);

        Assert.True(run.Exit == 0, $"lease-flow.mjs should exit 0 after the whole flow.\n{run}");
        Assert.Equal(["create", "get", "extend", "release"], run.Steps.Select(s => s.GetProperty("step").GetString()));
        var (created, read, extended, released) = (Lease(run, 0), Lease(run, 1), Lease(run, 2), Lease(run, 3));
        var leaseId = created.GetProperty("leaseId").GetString();
        Assert.Matches("^ls_[0-9a-f]{32}$", leaseId);
        Assert.Contains(created.GetProperty("number").GetString(), numbers);
        Assert.Equal(pool, created.GetProperty("pool").GetString());
        Assert.Equal("telegram", created.GetProperty("service").GetString());
        Assert.Equal("LEASE_STATE_ACTIVE", created.GetProperty("state").GetString());
        Assert.Equal(leaseId, read.GetProperty("leaseId").GetString());
        Assert.Equal(created.GetProperty("expireTime").GetString(), read.GetProperty("expireTime").GetString());
        Assert.Equal(TimeSpan.FromMinutes(5), Time(extended, "expireTime") - Time(read, "expireTime"));
        Assert.Equal("LEASE_STATE_ENDED", released.GetProperty("state").GetString());
        Assert.Equal("LEASE_OUTCOME_COMPLETED", released.GetProperty("outcome").GetString());
        Assert.NotEqual(JsonValueKind.Null, released.GetProperty("endTime").ValueKind);
    }

    [Fact]
    public async Task A_node_client_with_a_bad_key_gets_unauthenticated_and_exits_1()
    {
        var run = await RunAsync("pool_000000000000_not-a-real-key", pool: "");

        Assert.True(run.Exit == 1, $"lease-flow.mjs should exit 1 when its key is refused.\n{run}");
        var step = Assert.Single(run.Steps);
        Assert.Equal("create", step.GetProperty("step").GetString());
        var error = step.GetProperty("error");
        Assert.Equal(16, error.GetProperty("code").GetInt32());
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_node_client_shows_the_invalid_argument_naming_the_country()
    {
        var (pool, numbers) = PoolFixture.NewPool(1);
        await _numbers.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });

        var run = await RunAsync(fixture.AdminKey, pool, "--show-errors");

        Assert.True(run.Exit == 0, $"lease-flow.mjs --show-errors should exit 0 (the refusal is expected).\n{run}");
        var step = run.Steps.Single(s => s.GetProperty("step").GetString() == "invalid-create");
        var error = step.GetProperty("error");
        Assert.Equal(3, error.GetProperty("code").GetInt32());
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("name").GetString());
        Assert.Contains("country", error.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Contains("country", error.GetProperty("fieldViolations").EnumerateArray().Select(v => v.GetProperty("field").GetString()));
    }

    /// <summary>A tenant key, as a new backend team would get one.</summary>
    private async Task<string> TenantKeyAsync()
    {
        var tenant = $"node-{Guid.NewGuid():n}"[..20];
        await _tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = "Node example" });
        return (await _tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Label = "node example" })).Secret;
    }

    private static JsonElement Lease(NodeRun run, int step) => run.Steps[step].TryGetProperty("lease", out var lease)
        ? lease
        : throw new Xunit.Sdk.XunitException($"step {step} should carry a lease.\n{run}");

    private static DateTimeOffset Time(JsonElement lease, string field) => lease.GetProperty(field).GetDateTimeOffset();

    /// <summary>Runs <c>node examples/node/lease-flow.mjs</c> against the fixture's Pool and parses its JSON lines.</summary>
    private async Task<NodeRun> RunAsync(string apiKey, string pool, params string[] args)
    {
        var example = Path.Combine(Repository.Root, "examples", "node");
        Assert.True(
            Directory.Exists(Path.Combine(example, "node_modules", "@grpc", "grpc-js")),
            $"examples/node/node_modules is missing: run `npm ci --prefix examples/node` (scripts/test.sh does) before these tests.");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = example,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("lease-flow.mjs");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["POOL_ADDRESS"] = fixture.Address;
        start.Environment["POOL_API_KEY"] = apiKey;
        start.Environment["POOL_POOL"] = pool;
        start.Environment.Remove("POOL_SERVICE");

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"Node.js (`node`) was not found ({ex.Message}): install Node.js 18 or later and run `npm ci --prefix examples/node` (scripts/test.sh does both).");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(s_timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"node lease-flow.mjs should finish within {s_timeout.TotalSeconds:0} s (four calls with 10 s deadlines each); it was killed.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
            }

            var (lines, errors) = (await stdout, await stderr);
            output.WriteLine($"exit code {process.ExitCode}\n{lines}{errors}");
            var steps = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => JsonSerializer.Deserialize<JsonElement>(line))
                .ToList();
            return new NodeRun(process.ExitCode, steps, lines, errors);
        }
    }

    private sealed record NodeRun(int Exit, List<JsonElement> Steps, string Out, string Err)
    {
        public override string ToString() => new StringBuilder()
            .Append("exit code: ").Append(Exit).Append('\n')
            .Append("stdout:\n").Append(Out)
            .Append("stderr:\n").Append(Err)
            .ToString();
    }
}
