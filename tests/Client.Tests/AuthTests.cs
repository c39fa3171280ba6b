using Grpc.Core;
using Pool.Testing;
using Pool.V1;

namespace Pool.Client.Tests;

/// <summary>The API key on every call, over cleartext and TLS, and never in a message a caller could print.</summary>
public sealed class AuthTests(ClientPoolFixture fixture) : IClassFixture<ClientPoolFixture>
{
    [Fact]
    public async Task A_client_without_a_key_is_refused_with_UNAUTHENTICATED()
    {
        using var client = new PoolClient(fixture.Pool.GrpcAddress, apiKey: null);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.Leases.ListLeasesAsync(new ListLeasesRequest()));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task The_key_is_sent_over_cleartext_http_on_every_kind_of_call()
    {
        var (_, key) = await fixture.NewTenantAsync();
        using var client = new PoolClient(fixture.Pool.GrpcAddress, key);

        var leases = await client.Leases.ListLeasesAsync(new ListLeasesRequest());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        using var stream = client.Leases.WatchAllMessages(new WatchAllMessagesRequest(), cancellationToken: cancel.Token);
        var streamEnd = await Assert.ThrowsAsync<RpcException>(async () => await stream.ResponseStream.MoveNext(cancel.Token));

        Assert.Equal("http", fixture.Address.Scheme);
        Assert.Empty(leases.Leases);
        Assert.Equal(StatusCode.Cancelled, streamEnd.StatusCode); // the stream was accepted and ran until the client cancelled it, not UNAUTHENTICATED
    }

    [Fact]
    public async Task A_refused_key_is_in_no_exception_message_and_no_options_text()
    {
        var unknown = "pool_0123456789ab_" + new string('k', 43);
        var options = new PoolClientOptions { Address = fixture.Address, ApiKey = unknown };
        using var client = new PoolClient(options);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.Tenants.ListTenantsAsync(new ListTenantsRequest()));
        var badKey = Assert.Throws<ArgumentException>(() => new PoolClient(new PoolClientOptions { Address = fixture.Address, ApiKey = "pool_secret with a space" }));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.DoesNotContain(unknown, refused.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(unknown[18..], refused.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(unknown[18..], options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(unknown[18..], client.Options.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey = set (hidden)", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("PoolClientOptions.ApiKey", badKey.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret with", badKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_out_of_range_are_refused_with_a_message_naming_the_setting()
    {
        ArgumentException Refused(PoolClientOptions options) => Assert.Throws<ArgumentException>(() => new PoolClient(options));

        var noAddress = Refused(new PoolClientOptions());
        var notHttp = Refused(new PoolClientOptions { Address = new Uri("ftp://127.0.0.1:7400") });
        var oneAttempt = Refused(new PoolClientOptions { Address = fixture.Address, Retry = { MaxAttempts = 1 } });
        var backoff = Refused(new PoolClientOptions { Address = fixture.Address, Retry = { InitialBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromSeconds(1) } });
        var watch = Refused(new PoolClientOptions { Address = fixture.Address, Watch = { InitialBackoff = TimeSpan.Zero } });

        Assert.Contains("PoolClientOptions.Address", noAddress.Message, StringComparison.Ordinal);
        Assert.Contains("PoolClientOptions.Address 'ftp://", notHttp.Message, StringComparison.Ordinal);
        Assert.Contains("PoolClientOptions.Retry.MaxAttempts 1", oneAttempt.Message, StringComparison.Ordinal);
        Assert.Contains("PoolClientOptions.Retry.MaxBackoff", backoff.Message, StringComparison.Ordinal);
        Assert.Contains("PoolClientOptions.Watch.InitialBackoff", watch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_is_sent_over_TLS_to_a_Pool_with_a_certificate()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var certificate = TestCertificate.Create();
        await using var pool = await PoolProcess.StartAsync(database, $"cl-tls-{Guid.NewGuid():n}"[..16], settings: new Dictionary<string, string?>
        {
            ["Pool:Api:Tls:CertificatePath"] = certificate.PfxPath,
            ["Pool:Api:Tls:CertificatePassword"] = certificate.Password,
        });
        using var handler = certificate.TrustingOnlyThis();
        using var client = new PoolClient(new PoolClientOptions { Address = new Uri(pool.GrpcAddress), ApiKey = pool.AdminKey, HttpHandler = handler });
        using var keyless = new PoolClient(new PoolClientOptions { Address = new Uri(pool.GrpcAddress), HttpHandler = handler });

        var tenants = await client.Tenants.ListTenantsAsync(new ListTenantsRequest());
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await keyless.Tenants.ListTenantsAsync(new ListTenantsRequest()));

        Assert.Equal("https", new Uri(pool.GrpcAddress).Scheme);
        Assert.Contains(tenants.Tenants, t => t.Tenant_ == "operators");
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }
}
