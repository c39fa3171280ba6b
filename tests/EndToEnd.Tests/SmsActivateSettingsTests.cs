using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pool.Api.Auth;
using Pool.Api.SmsActivate;
using Pool.Silo.Hosting;

namespace Pool.EndToEnd.Tests;

/// <summary>The sms-activate endpoint's settings are checked at start, and its actions follow pool.v1's authorization rules.</summary>
public sealed class SmsActivateSettingsTests
{
    [Theory]
    [InlineData("Pool:SmsActivate:Services:TG", "telegram", "is not a service code")]
    [InlineData("Pool:SmsActivate:Services:zz", "Not a service!", "the service name")]
    [InlineData("Pool:SmsActivate:Countries:x1", "HK", "is not a country id")]
    [InlineData("Pool:SmsActivate:Countries:014", "HK", "is not a country id")]
    [InlineData("Pool:SmsActivate:Countries:14", "XX", "")]
    [InlineData("Pool:SmsActivate:EarlyCancelDenial", "01:00:00", "is out of range")]
    public async Task A_bad_sms_activate_setting_stops_the_process_naming_the_setting(string setting, string value, string problem)
    {
        await using var app = PoolHost.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pool:Role"] = "api",
            [setting] = value,
        }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_add_replace_and_remove_shipped_mappings()
    {
        var options = new SmsActivateOptions
        {
            Services = { ["zz"] = "Zed", ["tg"] = "telegram-x", ["vk"] = "" },
            Countries = { ["12"] = "us", ["0"] = "" },
        };

        var services = options.ServiceTable();
        var countries = options.CountryTable();

        Assert.Empty(options.Validate());
        Assert.Equal(("zed", "telegram-x", false, "whatsapp"), (services["zz"], services["tg"], services.ContainsKey("vk"), services["wa"]));
        Assert.Equal(("US", false, "HK"), (countries[12], countries.ContainsKey(0), countries[14]));
    }

    [Fact]
    public void Every_action_follows_an_existing_pool_v1_rule_and_only_reads_are_open_to_read_only_keys()
    {
        foreach (var (action, method) in SmsActivateHandler.Rules)
        {
            Assert.True(AuthorizationPolicy.Rules.ContainsKey(method), $"{action} follows {method}, which has a rule");
        }

        var readOnly = SmsActivateHandler.Rules.Where(r => AuthorizationPolicy.Refusal(Contracts.Tenants.KeyRole.TenantReadonly, r.Value) is null).Select(r => r.Key).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["getActiveActivations", "getBalance", "getBalanceAndCashBack", "getCountries", "getNumbersStatus", "getServicesList", "getStatus"],
            readOnly);
    }
}
