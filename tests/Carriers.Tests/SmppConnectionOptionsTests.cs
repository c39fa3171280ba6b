using Pool.Carriers.Smpp;

namespace Pool.Carriers.Tests;

/// <summary>An SMPP connection's own settings are checked at start, naming the setting.</summary>
public sealed class SmppConnectionOptionsTests
{
    private static SmppConnectionOptions Valid(string country) => new() { Host = "127.0.0.1", Port = 2775, SystemId = "pool", Password = "secret", Country = country };

    [Fact]
    public void A_country_that_is_not_a_region_with_phone_numbers_is_refused_by_name()
    {
        var problems = Valid("ZZ").ValidateConnection();

        var problem = Assert.Single(problems);
        Assert.StartsWith("Country", problem, StringComparison.Ordinal);
        Assert.Contains("'ZZ'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("hk", "HK")]
    [InlineData(" GB ", "GB")]
    public void A_country_is_optional_and_read_in_any_case(string country, string? region)
    {
        var options = Valid(country);

        Assert.Empty(options.ValidateConnection());
        Assert.Equal(region, options.Region);
    }

    [Fact]
    public void The_esme_settings_are_checked_too()
    {
        var options = Valid("HK");
        options.Port = 0;

        Assert.Contains(options.ValidateConnection(), p => p.StartsWith("Port", StringComparison.Ordinal));
    }
}
