using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pool.Silo.Configuration;

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
}
