using System.Text.Json;
using Pool.Carriers.Smpp;
using Pool.Contracts.Routes;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Tests;

/// <summary>
/// Pool's ESME against an SMSC we did not write: the npm "smpp" package (interop/smsc.js), installed
/// by <c>npm ci --prefix tests/Carriers.Tests/interop</c> (scripts/test.sh does it).
/// </summary>
public sealed class NodeSmppInteropTests
{
    private const string Phone = "+85251234567";

    [Fact]
    public async Task The_client_binds_submits_and_receives_a_receipt_and_ucs2_and_concatenated_mo_from_the_npm_smpp_smsc()
    {
        await using var smsc = await NodeSmsc.StartAsync();
        var options = CarrierPair.ClientOptions(smsc.Port);
        await using var client = new EsmeClient(options);
        var deliveries = Deliveries.Attach(client);
        client.Start();
        await Bounded.WaitAsync(client.WaitUntilBoundAsync(), "the client to bind to the npm smpp SMSC");
        Assert.Equal("BOUND pool", await smsc.NextLineAsync("the SMSC to report the bind"));

        var result = await client.SubmitAsync(new OutboundSms(Phone, "Your Pool code is 482913 @home", "test"), "PoolOTP");

        Assert.True(result.Succeeded, $"the npm SMSC should accept the submit; got {result.Outcome} {result.StatusName}");
        var id = Assert.Single(result.MessageIds);
        var submitted = (await smsc.NextLineAsync("the SMSC to report the submit")).Split(' ', 4);
        Assert.Equal(("SUBMIT", id, "85251234567"), (submitted[0], submitted[1], submitted[2]));
        Assert.Equal("Your Pool code is 482913 @home", JsonSerializer.Deserialize<string>(submitted[3]));

        var (receipt, submittedId) = await deliveries.NextReceiptAsync("a delivery receipt from the npm SMSC");
        Assert.Equal(id, receipt.MessageId);
        Assert.Equal(id, submittedId);
        Assert.Equal(MessageState.Delivered, receipt.State);

        var ucs2 = await deliveries.NextMoAsync("the UCS-2 MO from the npm SMSC");
        Assert.Equal(("8613800138000", "85251234567", "您的验证码是 482913，请勿泄露"), (ucs2.Sender, ucs2.Recipient, ucs2.Text));

        var first = await deliveries.NextMoAsync("the first part of the concatenated MO from the npm SMSC");
        var second = await deliveries.NextMoAsync("the second part of the concatenated MO from the npm SMSC");
        var parts = new[] { first, second }.OrderBy(p => p.Concatenation!.Sequence).ToList();
        Assert.Equal("Your Pool verification code is 482913. It expires in ten minutes.", string.Concat(parts.Select(p => p.Text)));
        Assert.Equal((2, "447911123456"), (parts[0].Concatenation!.Total, parts[0].Sender));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("DELIVER_SM_RESP 0", await smsc.NextLineAsync("the SMSC to report each deliver_sm_resp"));
        }

        await client.StopAsync();
        Assert.Equal("UNBOUND", await smsc.NextLineAsync("the SMSC to report the unbind"));
    }
}
