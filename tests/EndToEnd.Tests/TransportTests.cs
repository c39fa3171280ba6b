using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Pool.Silo.Database;
using Pool.Silo.Hosting;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>How Pool is reached: TLS on its endpoints, and the API as a process of its own in front of the silos.</summary>
public sealed class TransportTests
{
    private static bool HasInChain<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T)
            {
                return true;
            }
        }

        return false;
    }

    private static string NewServiceId() => $"tr-{Guid.NewGuid():n}"[..16];

    [Fact]
    public async Task Without_a_certificate_a_loopback_process_serves_cleartext_gRPC()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var pool = await PoolProcess.StartAsync(database, NewServiceId());

        using var channel = GrpcChannel.ForAddress(pool.GrpcAddress);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(Uri.UriSchemeHttp, new Uri(pool.GrpcAddress).Scheme); // the default listen address is loopback: no certificate needed
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task With_a_certificate_gRPC_is_served_over_TLS_and_cleartext_calls_fail()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var certificate = TestCertificate.Create();
        await using var pool = await PoolProcess.StartAsync(database, NewServiceId(), settings: new Dictionary<string, string?>
        {
            ["Pool:Api:Tls:CertificatePath"] = certificate.PfxPath,
            ["Pool:Api:Tls:CertificatePassword"] = certificate.Password,
        });
        var grpc = new Uri(pool.GrpcAddress);

        using var tls = GrpcChannel.ForAddress(grpc, new GrpcChannelOptions { HttpHandler = certificate.TrustingOnlyThis() });
        var health = await new Health.HealthClient(tls).CheckAsync(new HealthCheckRequest());

        using var cleartext = GrpcChannel.ForAddress($"http://127.0.0.1:{grpc.Port}");
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new Health.HealthClient(cleartext).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));

        using var untrusting = GrpcChannel.ForAddress(grpc);
        var untrusted = await Assert.ThrowsAsync<RpcException>(async () => await new Health.HealthClient(untrusting).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));

        using var http = pool.CreateHttpClient();
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal("https", grpc.Scheme);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.True(refused.StatusCode is StatusCode.Unavailable or StatusCode.Internal, $"a cleartext HTTP/2 preface is not a TLS handshake, so no call is answered; got {refused.Status}");
        Assert.True(HasInChain<System.Security.Authentication.AuthenticationException>(untrusted.Status.DebugException), $"a client that does not trust the certificate fails the TLS handshake; got {untrusted.Status}");
        Assert.Equal("https", http.BaseAddress!.Scheme);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task An_api_process_serves_leases_through_a_separate_silo_process_that_serves_no_API()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var split = await SplitPool.StartAsync(database, NewServiceId());
        var key = await AdminKeys.CreateAsync(database.ConnectionString);
        using var channel = GrpcChannel.ForAddress(split.Api.GrpcAddress);
        var calls = Authorized.With(channel, key);
        var numbers = new Numbers.NumbersClient(calls);
        var leases = new Leases.LeasesClient(calls);
        var (poolName, poolNumbers) = PoolFixture.NewPool(2);

        var added = await numbers.AddNumbersAsync(new AddNumbersRequest { Pool = poolName, Country = "HK", Numbers = { poolNumbers } });
        var lease = await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = poolName, Service = "telegram", Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) });
        var read = await leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId });
        var released = await leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Cancelled });

        using var siloChannel = GrpcChannel.ForAddress(split.Silo.GrpcAddress);
        var notServed = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Numbers.NumbersClient(Authorized.With(siloChannel, key)).AddNumbersAsync(new AddNumbersRequest { Pool = poolName, Country = "HK", Numbers = { poolNumbers } }, deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(2, added.Added);
        Assert.Contains(lease.Number, poolNumbers);
        Assert.Equal(LeaseState.Active, lease.State);
        Assert.Equal(lease, read);
        Assert.Equal(LeaseState.Ended, released.State);
        Assert.Equal(StatusCode.Unavailable, notServed.StatusCode); // the silo process has no gRPC listener at all
        Assert.Null(split.Api.Services.GetService<ILocalSiloDetails>()); // the api process hosts no silo ...
        Assert.NotNull(split.Api.Services.GetService<IGrainFactory>()); // ... and reaches grains through its cluster client
        Assert.NotNull(split.Silo.Services.GetService<ILocalSiloDetails>());
    }

    [Fact]
    public async Task An_api_process_is_unready_while_no_silo_gateway_is_left_and_ready_again_when_one_returns()
    {
        await using var database = await TestDatabase.CreateAsync();
        var serviceId = NewServiceId();
        await using var split = await SplitPool.StartAsync(database, serviceId);
        using var http = split.Api.CreateHttpClient();
        var before = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        await split.Silo.DisposeAsync();
        var withoutSilo = await Eventually.ReturnsAsync(
            async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode,
            status => status == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30),
            "the api process to report not ready on /readyz after its only silo stopped");
        var live = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        await using var newSilo = await SplitPool.StartRoleAsync(database, serviceId, "silo");
        var withNewSilo = await Eventually.ReturnsAsync(
            async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode,
            status => status == HttpStatusCode.OK,
            ClusterClientConfiguration.GatewayListRefreshPeriod * 3,
            "the api process to find the new silo's gateway in the membership table and report ready again");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, withoutSilo);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode); // alive, just not ready: nothing restarts it
        Assert.Equal(HttpStatusCode.OK, withNewSilo);
    }
}
