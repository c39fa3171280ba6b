using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// One running Pool (a database of its own, silo, API) shared by the tests of a class, with the
/// settings the subclass gives. Disposing it is also the privacy check of every end-to-end test class:
/// whatever its tests did, no full phone number may be in Pool's own log lines, nor in any line as
/// Pool's console formatter prints it.
/// </summary>
public abstract partial class HostFixture(string servicePrefix) : IAsyncLifetime
{
    private GrpcChannel _channel = null!;
    private int _tenants;

    public TestDatabase Database { get; private set; } = null!;

    public PoolProcess Pool { get; private set; } = null!;

    public string ServiceId { get; } = $"{servicePrefix}-{Guid.NewGuid():n}"[..16];

    /// <summary>Calls to the fixture's Pool with <see cref="AdminKey"/>.</summary>
    public CallInvoker Admin { get; private set; } = null!;

    /// <summary>An admin API key (tenant "operators").</summary>
    public string AdminKey => Pool.AdminKey;

    /// <summary>Settings of the Pool beyond the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>Adjusts the Pool's builder beyond settings (a trace exporter); none by default.</summary>
    protected virtual Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? Customize => null;

    /// <summary>Calls to the fixture's Pool with another key (or none, for an empty <paramref name="apiKey"/>).</summary>
    public CallInvoker As(string apiKey) => apiKey.Length == 0 ? _channel.CreateCallInvoker() : Authorized.With(_channel, apiKey);

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Pool = await PoolProcess.StartAsync(Database, ServiceId, settings: Settings, customize: Customize);
        _channel = GrpcChannel.ForAddress(Pool.GrpcAddress);
        Admin = Authorized.With(_channel, Pool.AdminKey);
    }

    /// <summary>A new tenant named <paramref name="prefix"/> and a number, with a tenant key; the client acts as that tenant.</summary>
    public async Task<(CallInvoker Client, string Key)> NewTenantAsync(string prefix)
    {
        var tenant = $"{prefix}{Interlocked.Increment(ref _tenants)}";
        var tenants = new Tenants.TenantsClient(Admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        var key = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Label = "tests" })).Secret;
        return (As(key), key);
    }

    public virtual async Task DisposeAsync()
    {
        _channel.Dispose();
        await Pool.DisposeAsync();
        await Database.DisposeAsync();

        var leaks = Pool.Logs.Lines.Where(line => line.Contains(" Pool.", StringComparison.Ordinal) && !OrleansStorageBridgeLine(line) && FullNumber().IsMatch(line))
            .Concat(Pool.Logs.Printed.Where(line => FullNumber().IsMatch(line)))
            .Take(3)
            .ToList();
        if (leaks.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"Log lines hold full phone numbers:{Environment.NewLine}{string.Join(Environment.NewLine, leaks)}");
        }
    }

    /// <summary>
    /// Orleans' storage bridge logs a failed write under the storage provider's category (a Pool
    /// category) with the grain id in its own wording; Pool cannot word that line, and what is
    /// printed of it is checked through <see cref="LogCapture.Printed"/>.
    /// </summary>
    private static bool OrleansStorageBridgeLine(string line) => line.Contains(" Error from storage provider ", StringComparison.Ordinal);

    [GeneratedRegex(@"\+\d{8,15}")]
    private static partial Regex FullNumber();
}
