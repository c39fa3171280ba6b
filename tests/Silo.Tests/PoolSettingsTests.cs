using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pool.Silo.Configuration;
using Pool.Testing;

namespace Pool.Silo.Tests;

public sealed class PoolSettingsTests
{
    private static PoolSettings Load(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Pool:Database:ConnectionString"] = "Host=127.0.0.1;Port=7432;Database=pool;Username=pool" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return PoolSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    [Fact]
    public void Defaults_avoid_the_ports_Orleans_and_PostgreSQL_use_by_default()
    {
        var settings = Load();

        int[] ports = [settings.Cluster.SiloPort, settings.Cluster.GatewayPort, settings.Api.GrpcPort, settings.Api.HttpPort];
        Assert.DoesNotContain(11111, ports);
        Assert.DoesNotContain(30000, ports);
        Assert.DoesNotContain(5432, ports);
        Assert.Equal(ports.Length, ports.Distinct().Count());
    }

    [Theory]
    [InlineData("Pool:Database:ConnectionString", "", "Pool:Database:ConnectionString is required")]
    [InlineData("Pool:Database:ConnectionString", "Host=x;Bogus Key=1", "Pool:Database:ConnectionString is not a valid")]
    [InlineData("Pool:Cluster:SiloPort", "0", "Pool:Cluster:SiloPort must be a port from 1 to 65535")]
    [InlineData("Pool:Cluster:GatewayPort", "70000", "Pool:Cluster:GatewayPort must be a port")]
    [InlineData("Pool:Cluster:AdvertisedAddress", "not-an-ip", "Pool:Cluster:AdvertisedAddress 'not-an-ip' is not an IP address")]
    [InlineData("Pool:Cluster:ClusterId", "", "Pool:Cluster:ClusterId is required")]
    [InlineData("Pool:Api:ListenAddress", "localhost:80", "Pool:Api:ListenAddress 'localhost:80' is not an IP address")]
    [InlineData("Pool:Api:GrpcPort", "7401", "Pool:Api:GrpcPort and Pool:Api:HttpPort must differ")]
    [InlineData("Pool:Api:HttpPort", "7410", "Pool:Cluster:SiloPort and Pool:Api:HttpPort all use port 7410")]
    [InlineData("Pool:Role", "frontend", "Pool:Role 'frontend' is not a role; use all")]
    [InlineData("Pool:Api:ListenAddress", "0.0.0.0", "Pool:Api:Tls:CertificatePath is required when Pool:Api:ListenAddress (0.0.0.0) is not a loopback address")]
    [InlineData("Pool:Api:ListenAddress", "10.1.2.3", "set Pool:Api:AllowInsecure=true")]
    [InlineData("Pool:Api:Tls:CertificatePath", "/nonexistent/pool.pfx", "Pool:Api:Tls:CertificatePath '/nonexistent/pool.pfx' does not exist")]
    [InlineData("Pool:Api:Tls:KeyPath", "/nonexistent/pool.key", "Pool:Api:Tls:KeyPath is set but Pool:Api:Tls:CertificatePath is not")]
    public void A_bad_setting_refuses_to_start_with_a_message_naming_it(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load((key, value)));

        Assert.Contains(error.Failures, failure => failure.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(("Pool:Cluster:SiloPort", "0"), ("Pool:Api:ListenAddress", "nope")));

        Assert.Equal(2, error.Failures.Count());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Cleartext_is_allowed_on_loopback_without_a_certificate(string address)
    {
        var settings = Load(("Pool:Api:ListenAddress", address));

        Assert.Null(settings.Api.Tls.Certificate);
    }

    [Fact]
    public void Cleartext_on_an_exposed_address_needs_AllowInsecure_said_explicitly()
    {
        var settings = Load(("Pool:Api:ListenAddress", "0.0.0.0"), ("Pool:Api:AllowInsecure", "true"));

        Assert.True(settings.Api.AllowInsecure);
        Assert.Null(settings.Api.Tls.Certificate);
    }

    [Fact]
    public void A_PKCS12_certificate_is_read_at_start_and_allows_an_exposed_address()
    {
        using var certificate = TestCertificate.Create();

        var settings = Load(("Pool:Api:ListenAddress", "0.0.0.0"), ("Pool:Api:Tls:CertificatePath", certificate.PfxPath), ("Pool:Api:Tls:CertificatePassword", certificate.Password));

        Assert.Equal(certificate.Certificate.Thumbprint, settings.Api.Tls.Certificate?.Thumbprint);
        Assert.True(settings.Api.Tls.Certificate!.HasPrivateKey, "the server needs the private key of its certificate");
    }

    [Fact]
    public void A_PEM_certificate_with_its_key_file_is_read_at_start()
    {
        using var certificate = TestCertificate.Create();
        var (certificatePath, keyPath) = certificate.WritePem();

        var settings = Load(("Pool:Api:Tls:CertificatePath", certificatePath), ("Pool:Api:Tls:KeyPath", keyPath));

        Assert.Equal(certificate.Certificate.Thumbprint, settings.Api.Tls.Certificate?.Thumbprint);
        Assert.True(settings.Api.Tls.Certificate!.HasPrivateKey, "the key file supplies the private key");
    }

    [Fact]
    public void A_PEM_certificate_without_its_key_refuses_to_start_naming_KeyPath()
    {
        using var certificate = TestCertificate.Create();
        var (certificatePath, _) = certificate.WritePem();

        var error = Assert.Throws<OptionsValidationException>(() => Load(("Pool:Api:Tls:CertificatePath", certificatePath)));

        Assert.Contains(error.Failures, failure => failure.Contains("Pool:Api:Tls:CertificatePath", StringComparison.Ordinal) && failure.Contains("Pool:Api:Tls:KeyPath", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wrong_certificate_password_refuses_to_start_without_echoing_the_password()
    {
        using var certificate = TestCertificate.Create();

        var error = Assert.Throws<OptionsValidationException>(() => Load(("Pool:Api:Tls:CertificatePath", certificate.PfxPath), ("Pool:Api:Tls:CertificatePassword", "not-the-password-4711")));

        var failure = Assert.Single(error.Failures);
        Assert.Contains($"Pool:Api:Tls:CertificatePath '{certificate.PfxPath}' could not be read", failure, StringComparison.Ordinal);
        Assert.Contains("Pool:Api:Tls:CertificatePassword", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-4711", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_no_certificate_refuses_to_start_naming_CertificatePath()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate");

            var error = Assert.Throws<OptionsValidationException>(() => Load(("Pool:Api:Tls:CertificatePath", path)));

            Assert.Contains(error.Failures, failure => failure.StartsWith($"Pool:Api:Tls:CertificatePath '{path}' could not be read", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(null, "true", true, true)]
    [InlineData("all", "true", true, true)]
    [InlineData("ALL", "false", true, false)]
    [InlineData("silo", "true", true, false)]
    [InlineData("api", "true", false, true)]
    public void The_role_decides_whether_the_process_hosts_a_silo_and_serves_the_API(string? role, string enabled, bool hostsSilo, bool servesApi)
    {
        var settings = Load(("Pool:Role", role), ("Pool:Api:Enabled", enabled));

        Assert.Equal(hostsSilo, settings.HostsSilo);
        Assert.Equal(servesApi, settings.ServesApi);
    }

    [Fact]
    public void An_api_process_with_the_API_disabled_refuses_to_start_naming_the_role()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(("Pool:Role", "api"), ("Pool:Api:Enabled", "false")));

        Assert.Contains(error.Failures, failure => failure.Contains("Pool:Api:Enabled=false contradicts Pool:Role=api", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_ports_a_role_listens_on_must_differ()
    {
        // An api process opens no silo or gateway port; a silo process no gRPC port.
        var api = Load(("Pool:Role", "api"), ("Pool:Api:GrpcPort", "7410"));
        var silo = Load(("Pool:Role", "silo"), ("Pool:Api:GrpcPort", "7420"));

        Assert.Equal(7410, api.Api.GrpcPort);
        Assert.Equal(7420, silo.Api.GrpcPort);
    }
}
