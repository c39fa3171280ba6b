using Grpc.Core;
using Grpc.Net.Client;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>One running Pool (database, silo, API) shared by the tests of a class; tests use their own pools.</summary>
public sealed partial class PoolFixture : IAsyncLifetime
{
    private static int s_block;

    public TestDatabase Database { get; private set; } = null!;

    public PoolProcess Pool { get; private set; } = null!;

    private GrpcChannel _channel = null!;

    /// <summary>Calls to the fixture's Pool with <see cref="AdminKey"/>.</summary>
    public CallInvoker Channel { get; private set; } = null!;

    /// <summary>An admin-scope API key (tenant "operators").</summary>
    public string AdminKey => Pool.AdminKey;

    public string Address => Pool.GrpcAddress;

    /// <summary>Calls to the fixture's Pool with another key (or none, for an empty <paramref name="apiKey"/>).</summary>
    public CallInvoker As(string apiKey) => apiKey.Length == 0 ? _channel.CreateCallInvoker() : Authorized.With(_channel, apiKey);

    public string ServiceId { get; } = $"e2e-{Guid.NewGuid():n}"[..16];

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Pool = await PoolProcess.StartAsync(Database, ServiceId);
        _channel = GrpcChannel.ForAddress(Pool.GrpcAddress);
        Channel = Authorized.With(_channel, Pool.AdminKey);
    }

    /// <summary>
    /// Also the privacy check of every end-to-end test class: whatever its tests did, no full phone
    /// number may be in Pool's own log lines, nor in any line as Pool's console formatter prints it.
    /// </summary>
    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await Pool.DisposeAsync();
        await Database.DisposeAsync();

        var leaks = Pool.Logs.Lines.Where(line => line.Contains(" Pool.", StringComparison.Ordinal) && FullNumber().IsMatch(line))
            .Concat(Pool.Logs.Printed.Where(line => FullNumber().IsMatch(line)))
            .Take(3)
            .ToList();
        if (leaks.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"Log lines hold full phone numbers:{Environment.NewLine}{string.Join(Environment.NewLine, leaks)}");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\+\d{8,15}")]
    private static partial System.Text.RegularExpressions.Regex FullNumber();

    /// <summary>A unique pool name and <paramref name="count"/> valid Hong Kong numbers nobody else uses.</summary>
    public static (string Pool, string[] Numbers) NewPool(int count)
    {
        var block = Interlocked.Increment(ref s_block);
        return ($"e2e-{block}-{Guid.NewGuid():n}"[..20], [.. Enumerable.Range(0, count).Select(i => $"+8526{block % 100:D2}{i:D5}")]);
    }
}
