using System.Globalization;
using System.Text.RegularExpressions;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>A Pool whose sms-activate endpoint refuses cancels in the first 2 minutes, as the protocol's own service does.</summary>
public sealed class SmsActivateEarlyCancelFixture() : HostFixture("sae")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Pool:SmsActivate:EarlyCancelDenial"] = "00:02:00",
    };
}

/// <summary>The protocol's early-cancel rule, when an operator turns it on.</summary>
public sealed partial class SmsActivateEarlyCancelTests(SmsActivateEarlyCancelFixture fixture) : IClassFixture<SmsActivateEarlyCancelFixture>
{
    [Fact]
    public async Task A_cancel_in_the_first_two_minutes_is_EARLY_CANCEL_DENIED_and_the_activation_stays_live()
    {
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = "sae-hk", Country = "HK", Numbers = { "+85269900001" } });
        var (_, key) = await fixture.NewTenantAsync("sae");
        using var http = fixture.Pool.CreateHttpClient();
        async Task<string> Call(string query) => await http.GetStringAsync(new Uri($"/stubs/handler_api.php?api_key={Uri.EscapeDataString(key)}&{query}", UriKind.Relative));

        var rented = AccessNumber().Match(await Call("action=getNumber&service=tg&country=14"));
        Assert.True(rented.Success, "getNumber should answer ACCESS_NUMBER");
        var id = rented.Groups[1].Value;
        var cancel = await Call($"action=setStatus&status=8&id={id}");
        var status = await Call($"action=getStatus&id={id}");
        var complete = await Call($"action=setStatus&status=6&id={id}");

        Assert.Equal("EARLY_CANCEL_DENIED", cancel);
        Assert.Equal("STATUS_WAIT_CODE", status);
        Assert.Equal("ACCESS_ACTIVATION", complete);
        Assert.True(long.Parse(id, CultureInfo.InvariantCulture) > 0);
    }

    [GeneratedRegex("^ACCESS_NUMBER:([0-9]+):([0-9]+)$")]
    private static partial Regex AccessNumber();
}
