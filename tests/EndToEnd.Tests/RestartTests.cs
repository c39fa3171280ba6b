using Grpc.Net.Client;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Stopping_and_starting_Pool_loses_no_lease()
    {
        await using var database = await TestDatabase.CreateAsync();
        var serviceId = $"rst-{Guid.NewGuid():n}"[..16];
        var (pool, numbers) = PoolFixture.NewPool(2);
        Lease lease;

        await using (var first = await PoolProcess.StartAsync(database, serviceId))
        {
            using var grpc = GrpcChannel.ForAddress(first.GrpcAddress);
            var channel = Authorized.With(grpc, first.AdminKey);
            await new Numbers.NumbersClient(channel).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
            lease = await new Leases.LeasesClient(channel).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        }

        await using var second = await PoolProcess.StartAsync(database, serviceId);
        using var grpcAgain = GrpcChannel.ForAddress(second.GrpcAddress);
        var leases = new Leases.LeasesClient(Authorized.With(grpcAgain, second.AdminKey));
        var reloaded = await leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId });
        var next = await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        var exhausted = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" }));

        Assert.Equal(lease, reloaded);
        Assert.NotEqual(lease.Number, next.Number);
        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, exhausted.StatusCode);
    }
}

public sealed class KillTests
{
    [Fact]
    public async Task Killing_the_silo_process_and_starting_it_again_loses_no_lease()
    {
        await using var database = await TestDatabase.CreateAsync();
        var ports = FreePorts.Take(4);
        var (pool, numbers) = PoolFixture.NewPool(3);
        Lease lease;

        using (var first = await SiloProcess.StartAsync(database, ports))
        {
            using var grpc = GrpcChannel.ForAddress(first.GrpcAddress);
            var channel = Authorized.With(grpc, first.AdminKey);
            await new Numbers.NumbersClient(channel).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
            lease = await new Leases.LeasesClient(channel).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
            first.Kill();
        }

        using var second = await SiloProcess.StartAsync(database, ports);
        using var grpcAgain = GrpcChannel.ForAddress(second.GrpcAddress);
        var again = Authorized.With(grpcAgain, second.AdminKey);
        var reloaded = await new Leases.LeasesClient(again).GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId });
        var number = await new Numbers.NumbersClient(again).GetNumberAsync(new GetNumberRequest { Number = lease.Number });

        Assert.Equal(lease, reloaded);
        Assert.Equal(NumberState.Leased, number.State);
        Assert.Equal(lease.LeaseId, number.LeaseId);
    }
}
