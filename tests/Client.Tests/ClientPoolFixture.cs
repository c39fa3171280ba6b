using System.Security.Cryptography;
using Pool.Testing;
using Pool.V1;

namespace Pool.Client.Tests;

/// <summary>One running Pool (a database of its own, silo and API in this process, an HTTP carrier "sim") shared by a test class, and an admin <see cref="PoolClient"/> to it.</summary>
public sealed class ClientPoolFixture : IAsyncLifetime
{
    public const string Carrier = "sim";
    public const string CarrierSecret = "client-carrier-secret-0123456789abcdef";

    private int _tenants;

    public TestDatabase Database { get; private set; } = null!;

    public PoolProcess Pool { get; private set; } = null!;

    /// <summary>A client of <see cref="Pool"/> with its admin key.</summary>
    public PoolClient Admin { get; private set; } = null!;

    public Uri Address => new(Pool.GrpcAddress);

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Pool = await PoolProcess.StartAsync(
            Database, $"cl-{Guid.NewGuid():n}"[..16], settings: new Dictionary<string, string?>
            {
                [$"Pool:Carriers:{Carrier}:Secret"] = CarrierSecret,
                // Outbound verification (and erasure, which also clears verifications) needs its keys.
                ["Pool:Verification:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Pool:Verification:IndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            });
        Admin = new PoolClient(Pool.GrpcAddress, Pool.AdminKey);
    }

    /// <summary>A new tenant and a tenant key for it.</summary>
    public async Task<(string Tenant, string Key)> NewTenantAsync()
    {
        var tenant = $"client{Interlocked.Increment(ref _tenants)}";
        await Admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        var key = (await Admin.Tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Label = "tests" })).Secret;
        return (tenant, key);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Pool.DisposeAsync();
        await Database.DisposeAsync();
    }
}
