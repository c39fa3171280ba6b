using Pool.Carriers.Simulator;
using Pool.Carriers.Smpp;
using Pool.Contracts.Routes;
using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Tests;

public sealed class EsmeClientTests
{
    private const string Phone = "+85251234567";
    private const string Service = "PoolOTP";

    [Fact]
    public async Task The_client_binds_as_a_transceiver_with_its_credentials()
    {
        await using var pair = await CarrierPair.StartAsync();

        Assert.Equal(EsmeState.Bound, pair.Client.State);
        Assert.Equal(1, pair.Client.BindCount);
        await Bounded.UntilAsync(() => pair.Simulator.BoundSessions == 1, "the simulator to count one bound session");
    }

    [Fact]
    public async Task A_bind_with_the_wrong_password_is_refused_and_the_client_stays_unbound()
    {
        await using var pair = await CarrierPair.StartAsync(client: o => o.Password = "wrong", waitForBind: false);

        await Bounded.UntilAsync(() => pair.Simulator.RefusedBinds >= 2, "the refused bind to be retried after a backoff");

        Assert.Equal(0, pair.Simulator.BoundSessions);
        Assert.NotEqual(EsmeState.Bound, pair.Client.State);
        Assert.Equal(0, pair.Client.BindCount);
        var result = await pair.Client.SubmitAsync(new OutboundSms(Phone, "hello", "test"), Service);
        Assert.Equal(SmppSubmitOutcome.NotConnected, result.Outcome);
    }

    [Fact]
    public async Task A_short_message_goes_as_one_part_and_gets_the_simulators_message_id()
    {
        await using var pair = await CarrierPair.StartAsync();

        var result = await pair.Client.SubmitAsync(new OutboundSms(Phone, "Your Pool code is 482913", "test"), Service);

        Assert.True(result.Succeeded, $"submit should be accepted; got {result.Outcome} {result.StatusName}");
        var id = Assert.Single(result.MessageIds);
        var submitted = Assert.Single(pair.Simulator.Submissions);
        Assert.Equal(id, submitted.MessageId);
        Assert.Equal(("Your Pool code is 482913", Phone, Service), (submitted.Text, submitted.To, submitted.From));
    }

    [Fact]
    public async Task A_long_message_goes_in_concatenated_parts_that_carry_the_whole_text()
    {
        await using var pair = await CarrierPair.StartAsync();
        var text = string.Concat(Enumerable.Repeat("您的验证码是 482913，五分钟内有效。", 8));

        var result = await pair.Client.SubmitAsync(new OutboundSms(Phone, text, "test"), Service);

        Assert.True(result.Succeeded, $"submit should be accepted; got {result.Outcome} {result.StatusName}");
        Assert.Equal(result.Parts, result.MessageIds.Count);
        Assert.True(result.Parts > 1, "a text longer than 70 UCS-2 units should be split");
        var parts = pair.Simulator.Submissions;
        Assert.Equal(text, string.Concat(parts.OrderBy(p => p.Concatenation!.Sequence).Select(p => p.Text)));
        Assert.All(parts, p => Assert.Equal(SmsBody.Ucs2Coding, p.DataCoding));
        Assert.Single(parts.Select(p => p.Concatenation!.Reference).Distinct());
    }

    [Fact]
    public async Task A_receipt_that_writes_the_id_in_decimal_is_matched_to_the_hex_id_submit_sm_resp_gave()
    {
        await using var pair = await CarrierPair.StartAsync(simulator: o =>
        {
            o.ReceiptTlvs = false;
            o.DecimalIdInReceiptText = true;
        });

        var deliveries = Deliveries.Attach(pair.Client);
        var result = await pair.Client.SubmitAsync(new OutboundSms(Phone, "Your code is 1234", "test"), Service);
        var (receipt, submitted) = await deliveries.NextReceiptAsync("a delivery receipt for the submitted message");

        var hexId = Assert.Single(result.MessageIds);
        Assert.NotEqual(hexId, receipt.MessageId);
        Assert.Equal(hexId, submitted);
        Assert.Equal(MessageState.Delivered, receipt.State);
        Assert.Equal("000", receipt.ErrorCode);
    }

    [Fact]
    public async Task A_receipt_with_tlvs_names_the_submitted_id_and_reports_an_undelivered_message()
    {
        await using var pair = await CarrierPair.StartAsync();
        pair.Simulator.SetFaults(new SimulatorFaults { DlrFailureRate = 1 });

        var deliveries = Deliveries.Attach(pair.Client);
        var result = await pair.Client.SubmitAsync(new OutboundSms(Phone, "Your code is 1234", "test"), Service);
        var (receipt, submitted) = await deliveries.NextReceiptAsync("a delivery receipt for the submitted message");

        Assert.Equal(Assert.Single(result.MessageIds), receipt.MessageId);
        Assert.Equal(receipt.MessageId, submitted);
        Assert.Equal(MessageState.Undeliverable, receipt.State);
        Assert.False(receipt.IsDelivered);
    }

    [Fact]
    public async Task No_more_submits_than_the_window_wait_for_a_response_at_once()
    {
        await using var pair = await CarrierPair.StartAsync(client: o => o.WindowSize = 3);
        pair.Simulator.SetFaults(new SimulatorFaults { Latency = TimeSpan.FromMilliseconds(150) });

        var results = await Bounded.WaitAsync(
            Task.WhenAll(Enumerable.Range(0, 12).Select(i => pair.Client.SubmitAsync(new OutboundSms(Phone, $"message {i}", "test"), Service))),
            "twelve submits through a window of three");

        Assert.All(results, r => Assert.True(r.Succeeded, $"every submit should be accepted; got {r.Outcome}"));
        Assert.InRange(pair.Simulator.MaxInFlightSubmits, 2, 3);
    }

    [Fact]
    public async Task A_throttled_submit_is_retried_after_a_pause_until_accepted()
    {
        await using var pair = await CarrierPair.StartAsync(client: o => o.MaxThrottleRetries = 20);
        pair.Simulator.SetFaults(new SimulatorFaults { ThrottleRate = 0.5 });

        var results = await Bounded.WaitAsync(
            Task.WhenAll(Enumerable.Range(0, 10).Select(i => pair.Client.SubmitAsync(new OutboundSms(Phone, $"message {i}", "test"), Service))),
            "ten submits through a throttling SMSC");

        Assert.All(results, r => Assert.True(r.Succeeded, $"a throttled submit should be retried until accepted; got {r.Outcome}"));
        Assert.True(pair.Simulator.ThrottledAnswers > 0, "the simulator should have throttled some submits (seeded)");
        Assert.Equal(10, pair.Simulator.Submissions.Count);
    }

    [Fact]
    public async Task A_submit_still_throttled_after_the_retry_limit_fails_as_throttled()
    {
        await using var pair = await CarrierPair.StartAsync(client: o => o.MaxThrottleRetries = 2);
        pair.Simulator.SetFaults(new SimulatorFaults { ThrottleRate = 1 });

        var result = await pair.Client.SubmitAsync(new OutboundSms(Phone, "hello", "test"), Service);

        Assert.Equal(SmppSubmitOutcome.Throttled, result.Outcome);
        Assert.Equal(SmppStatus.Throttled, result.CommandStatus);
        Assert.Equal(3, pair.Simulator.ThrottledAnswers);
    }

    [Fact]
    public async Task An_error_status_from_the_smsc_is_surfaced_with_its_name()
    {
        await using var pair = await CarrierPair.StartAsync();
        pair.Simulator.SetFaults(new SimulatorFaults { SubmitErrorRate = 1, SubmitErrorStatus = SmppStatus.SubmitFailed });

        var result = await pair.Client.SubmitAsync(new OutboundSms(Phone, "hello", "test"), Service);

        Assert.Equal(SmppSubmitOutcome.Rejected, result.Outcome);
        Assert.Equal(SmppStatus.SubmitFailed, result.CommandStatus);
        Assert.Equal("ESME_RSUBMITFAIL", result.StatusName);
        Assert.Empty(result.MessageIds);
    }

    [Fact]
    public async Task The_client_reconnects_once_an_outage_ends()
    {
        await using var pair = await CarrierPair.StartAsync();

        pair.Simulator.SetFaults(new SimulatorFaults { Outage = true });
        await Bounded.UntilAsync(() => pair.Client.State != EsmeState.Bound, "the client to notice the dropped session");
        var during = await pair.Client.SubmitAsync(new OutboundSms(Phone, "during the outage", "test"), Service);
        await Bounded.UntilAsync(() => pair.Simulator.BoundSessions == 0, "binds to be refused during the outage");

        pair.Simulator.SetFaults(SimulatorFaults.None);
        await Bounded.WaitAsync(pair.Client.WaitUntilBoundAsync(), "the client to bind again after the outage");
        var after = await pair.Client.SubmitAsync(new OutboundSms(Phone, "after the outage", "test"), Service);

        Assert.Equal(SmppSubmitOutcome.NotConnected, during.Outcome);
        Assert.True(after.Succeeded, $"a submit after the outage should be accepted; got {after.Outcome}");
        Assert.Equal(2, pair.Client.BindCount);
    }

    [Fact]
    public async Task Enquire_link_keeps_a_healthy_session_up()
    {
        await using var pair = await CarrierPair.StartAsync(client: o => o.EnquireLinkInterval = TimeSpan.FromMilliseconds(50));

        await Bounded.UntilAsync(() => pair.Simulator.EnquireLinksReceived >= 3, "three enquire_link probes");

        Assert.Equal(1, pair.Client.BindCount);
        Assert.Equal(EsmeState.Bound, pair.Client.State);
    }

    [Fact]
    public async Task A_session_whose_enquire_link_goes_unanswered_is_replaced()
    {
        await using var pair = await CarrierPair.StartAsync(client: o =>
        {
            o.EnquireLinkInterval = TimeSpan.FromMilliseconds(100);
            o.ResponseTimeout = TimeSpan.FromMilliseconds(300);
        });

        pair.Simulator.SetFaults(new SimulatorFaults { IgnoreEnquireLink = true });
        await Bounded.UntilAsync(() => pair.Client.BindCount >= 2, "the client to drop the hung session and bind again");
        pair.Simulator.SetFaults(SimulatorFaults.None);

        await Bounded.WaitAsync(pair.Client.WaitUntilBoundAsync(), "a bound session after the link recovers");
        var result = await pair.Client.SubmitAsync(new OutboundSms(Phone, "after the hang", "test"), Service);
        Assert.True(result.Succeeded, $"a submit on the new session should be accepted; got {result.Outcome}");
    }

    [Fact]
    public async Task Stopping_the_client_unbinds_gracefully()
    {
        var pair = await CarrierPair.StartAsync();
        await using var simulator = pair.Simulator;

        await pair.Client.DisposeAsync();

        Assert.Equal(1, simulator.UnbindsReceived);
        Assert.Equal(EsmeState.Stopped, pair.Client.State);
        await Bounded.UntilAsync(() => simulator.BoundSessions == 0, "the simulator to close the unbound session");
    }

    [Fact]
    public async Task A_single_part_mo_arrives_with_an_international_sender()
    {
        await using var pair = await CarrierPair.StartAsync();
        var deliveries = Deliveries.Attach(pair.Client);

        var acknowledged = await pair.Simulator.SendMoAsync("+447911123456", Phone, "Your code is 482913 {ok}");
        var mo = await deliveries.NextMoAsync("the MO message");

        Assert.Equal(1, acknowledged);
        Assert.Equal(("447911123456", 1, "Your code is 482913 {ok}", null), (mo.Sender, (int)mo.Pdu.SourceAddrTon, mo.Text, mo.Concatenation));
    }

    [Fact]
    public async Task A_ucs2_mo_arrives_decoded()
    {
        await using var pair = await CarrierPair.StartAsync();
        var deliveries = Deliveries.Attach(pair.Client);

        await pair.Simulator.SendMoAsync("+8613800138000", Phone, "您的验证码是 482913 😀");
        var mo = await deliveries.NextMoAsync("the UCS-2 MO message");

        Assert.Equal("您的验证码是 482913 😀", mo.Text);
    }

    [Theory]
    [InlineData(MoConcatenation.Udh)]
    [InlineData(MoConcatenation.Sar)]
    public async Task A_concatenated_mo_is_handed_over_part_by_part_with_its_numbering(MoConcatenation concatenation)
    {
        await using var pair = await CarrierPair.StartAsync();
        var deliveries = Deliveries.Attach(pair.Client);
        var text = string.Concat(Enumerable.Repeat("Your Pool verification code is 482913. ", 6));

        var acknowledged = await pair.Simulator.SendMoAsync("+447911123456", Phone, text, concatenation);
        var first = await deliveries.NextMoAsync("the first part");
        var second = await deliveries.NextMoAsync("the second part");

        Assert.Equal(2, acknowledged);
        var parts = new[] { first, second }.OrderBy(p => p.Concatenation!.Sequence).ToList();
        Assert.Equal([(2, 1), (2, 2)], parts.Select(p => (p.Concatenation!.Total, p.Concatenation.Sequence)));
        Assert.Equal(first.Concatenation!.Reference, second.Concatenation!.Reference);
        Assert.Equal(text, string.Concat(parts.Select(p => p.Text)));
    }

    [Fact]
    public async Task Faults_changed_from_many_threads_while_submitting_never_break_a_submit()
    {
        await using var pair = await CarrierPair.StartAsync(client: o => o.MaxThrottleRetries = 1);
        SimulatorFaults[] settings =
        [
            SimulatorFaults.None,
            new() { SubmitErrorRate = 0.5 },
            new() { ThrottleRate = 0.5 },
            new() { Latency = TimeSpan.FromMilliseconds(5), DlrFailureRate = 0.5 },
        ];

        var flipping = Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                pair.Simulator.SetFaults(settings[(i + t) % settings.Length]);
            }
        })));
        var results = await Bounded.WaitAsync(
            Task.WhenAll(Enumerable.Range(0, 40).Select(i => pair.Client.SubmitAsync(new OutboundSms(Phone, $"message {i}", "test"), Service))),
            "forty submits while faults change");
        await flipping;

        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { SmppSubmitOutcome.Accepted, SmppSubmitOutcome.Rejected, SmppSubmitOutcome.Throttled }));
        Assert.Equal(results.Count(r => r.Succeeded), pair.Simulator.Submissions.Count);
    }

    [Fact]
    public void Invalid_faults_are_refused_naming_each_setting()
    {
        var simulator = new SmscSimulator(new SmscSimulatorOptions());
        var faults = new SimulatorFaults { SubmitErrorRate = 1.5, ThrottleRate = -0.1, DlrFailureRate = double.NaN, Latency = TimeSpan.FromSeconds(-1), SubmitErrorStatus = SmppStatus.Ok };

        var error = Assert.Throws<ArgumentException>(() => simulator.SetFaults(faults));

        foreach (var setting in new[] { "SubmitErrorRate", "ThrottleRate", "DlrFailureRate", "Latency", "SubmitErrorStatus" })
        {
            Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        }

        Assert.Same(SimulatorFaults.None, simulator.Faults);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_each_setting()
    {
        var options = new EsmeOptions { Host = "", Port = 0, SystemId = "a-very-long-system-id", WindowSize = 0, ReconnectMinBackoff = TimeSpan.FromSeconds(5), ReconnectMaxBackoff = TimeSpan.FromSeconds(1) };

        var error = Assert.Throws<ArgumentException>(() => new EsmeClient(options));

        foreach (var setting in new[] { "Host", "Port", "SystemId", "WindowSize", "ReconnectMaxBackoff" })
        {
            Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        }
    }
}
