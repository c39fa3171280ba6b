using Pool.Carriers.Smpp;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;
using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Tests;

/// <summary>
/// What Pool's ESME makes of deliver_sm and data_sm as another SMPP stack encodes them: each case of
/// interop/smsc.js is written by the npm smpp package (raw bytes only where the case is a malformed
/// PDU), sent to one bound ESME, and checked as the cluster would store it and as the SMSC was answered.
/// The inputs follow what the package's users and those of jsmpp, cloudhopper and Jasmin report
/// SMSCs sending: class 0 and general-group data codings, receipts coded UCS-2 with ASCII text or
/// missing fields, receipts in data_sm (Jasmin sends them so), message_payload with a UDH.
/// </summary>
public sealed class NodeSmppDeliveryInteropTests(NpmSmscIntake smsc) : IClassFixture<NpmSmscIntake>
{
    private const string Code = "Code 482913";
    private const string PoolNumber = "+85251234567";
    private const string Sender = "+447911123456";
    private const string OtpText = "Your Pool verification code is 482913. It expires in ten minutes.";

    [Theory]
    [InlineData("dcs-f0", 0xF0, Code, "", true)]
    [InlineData("dcs-11", 0x11, Code, "", true)]
    [InlineData("dcs-15", 0x15, "436F646520343832393133", "binary", false)]
    [InlineData("dcs-19", 0x19, "验证码 482913", "", true)]
    [InlineData("dcs-02", 0x02, "436F646520343832393133", "binary", false)]
    [InlineData("dcs-04", 0x04, "0605040B8423F0", "binary", false)]
    [InlineData("dcs-0c", 0x0C, Code, "reserved_coding", true)]
    [InlineData("dcs-84", 0x84, Code, "reserved_coding", true)]
    [InlineData("dcs-03", 0x03, "Código 482913 für Sie", "", true)]
    [InlineData("dcs-08", 0x08, "您的验证码是 482913", "", true)]
    [InlineData("dcs-00", 0x00, "Your code: 482913 @Pool [ok] {5€}", "", true)]
    [InlineData("dcs-08-emoji", 0x08, "🔐 482913 是您的验证码", "", true)]
    [InlineData("udh-bad-length", 0x00, "0A000301616263", "undecodable", false)]
    [InlineData("dcs-auto", 0x01, "Your code: 482913", "", true)]
    [InlineData("dcs-c8", 0xC8, "Voicemail 1", "message_waiting", true)]
    public async Task An_mo_in_each_data_coding_is_stored_with_its_text_or_raw_as_hex_and_answered_esme_rok(
        string @case, int dataCoding, string text, string flags, bool codeReadable)
    {
        var mo = await SingleMoAsync(@case, "deliver_sm");

        Assert.True(dataCoding == mo.Raw!.DataCoding, $"{@case}: the npm SMSC should have sent data_coding 0x{dataCoding:X2}, not 0x{mo.Raw.DataCoding:X2}");
        Assert.True(text == mo.Text, $"{@case}: data_coding 0x{dataCoding:X2} should give the text \"{text}\", not \"{mo.Text}\"");
        Assert.True(Split(flags).SequenceEqual(mo.Flags), $"{@case}: the flags should be [{flags}], not [{string.Join(",", mo.Flags)}]");
        Assert.True(codeReadable == InboundFlags.IsText(mo.Flags), $"{@case}: a code should {(codeReadable ? "" : "not ")}be read from this message");
        Assert.Equal((Sender, PoolNumber), (mo.Sender, mo.Number));
    }

    [Fact]
    public async Task Packed_gsm_under_data_coding_0_is_read_one_septet_per_octet_as_smpp_says_and_kept_raw()
    {
        var mo = await SingleMoAsync("dcs-00-packed", "deliver_sm");

        Assert.True(Gsm7.EncodePacked(Code).AsSpan().SequenceEqual(mo.Raw!.UserData), "the packed octets should be stored exactly as they came");
        Assert.True(Code == Gsm7.DecodePacked(mo.Raw.UserData, Code.Length), "an operator can unpack the stored octets to the sender's text");
        Assert.NotEqual(Code, mo.Text);
    }

    [Theory]
    [InlineData("udh-tr-single", "Şifreniz: 482913")]
    [InlineData("udh-tr-locking", "Doğrulama kodunuz: 482913")]
    public async Task The_turkish_shift_table_a_udh_names_decodes_the_text(string @case, string text)
    {
        var outcome = await SendAsync(@case, ("deliver_sm_resp", SmppStatus.Ok));
        var intake = Assert.Single(outcome.Intakes);

        Assert.NotNull(intake.Content?.Header);
        Assert.True(text == intake.Mo?.Text, $"{@case}: the Turkish table should give \"{text}\", not \"{intake.Mo?.Text}\"");
        Assert.Empty(intake.Mo!.Flags);
    }

    [Theory]
    [InlineData("udh-tr-concat", 0x5E, "Şifreniz: 482913. Kimseyle paylaşmayın.")]
    [InlineData("udh-concat-8", 0xA7, OtpText)]
    [InlineData("udh-concat-16", 0x1234, "您的验证码是 482913，请勿泄露")]
    [InlineData("sar", 0x0102, OtpText)]
    [InlineData("payload-udh", 0x3C, OtpText)]
    public async Task Both_parts_of_a_concatenated_mo_carry_their_numbering_and_together_the_whole_text(string @case, int reference, string text)
    {
        var outcome = await SendAsync(@case, ("deliver_sm_resp", SmppStatus.Ok), ("deliver_sm_resp", SmppStatus.Ok));

        Assert.Equal(2, outcome.Intakes.Count);
        var numbering = outcome.Intakes.Select(i => i.Content?.Concatenation).ToList();
        Assert.True(
            numbering.SequenceEqual([new ConcatenationInfo(reference, 2, 1), new ConcatenationInfo(reference, 2, 2)]),
            $"{@case}: the parts should be numbered 1 and 2 of 2 with reference 0x{reference:X}; got {string.Join(", ", numbering)}");
        Assert.Equal(text, string.Concat(outcome.Intakes.Select(i => i.Mo!.Text)));
        Assert.All(outcome.Intakes, i => Assert.Empty(i.Mo!.Flags));
    }

    [Fact]
    public async Task A_udh_concatenation_element_wins_over_sar_tlvs_in_the_same_pdu()
    {
        var outcome = await SendAsync("udh-over-sar", ("deliver_sm_resp", SmppStatus.Ok));

        var intake = Assert.Single(outcome.Intakes);
        Assert.Equal(new ConcatenationInfo(0x21, 3, 2), intake.Content!.Concatenation);
        Assert.Equal("It expires in ten minutes.", intake.Mo!.Text);
    }

    [Fact]
    public async Task An_incomplete_sar_set_leaves_the_message_whole_and_says_why()
    {
        var outcome = await SendAsync("sar-incomplete", ("deliver_sm_resp", SmppStatus.Ok));

        var intake = Assert.Single(outcome.Intakes);
        Assert.Null(intake.Content!.Concatenation);
        Assert.Equal(Code, intake.Mo!.Text);
        Assert.Contains("SAR", intake.Mo.Raw!.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("esm-04", "deliver_sm", "4409", StatusReportKind.DeliveryReceipt, "DELIVRD", true, true, null)]
    [InlineData("esm-08", "deliver_sm", "4411", StatusReportKind.SmeAcknowledgement, "DELIVRD", true, true, null)]
    [InlineData("esm-10", "deliver_sm", "4412", StatusReportKind.SmeAcknowledgement, "UNKNOWN", false, false, "UNKNOWN")]
    [InlineData("esm-18", "deliver_sm", "", StatusReportKind.ConversationAbort, "UNKNOWN", false, false, "names no message id")]
    [InlineData("esm-20", "deliver_sm", "4410", StatusReportKind.IntermediateNotification, "ENROUTE", false, false, "ENROUTE")]
    [InlineData("receipt-ucs2-ascii", "deliver_sm", "S1000000000000000000001", StatusReportKind.DeliveryReceipt, "DELIVRD", true, true, null)]
    [InlineData("receipt-ucs2", "deliver_sm", "4414", StatusReportKind.DeliveryReceipt, "UNDELIV", true, false, "UNDELIV (err 000)")]
    [InlineData("receipt-state-tlv", "deliver_sm", "4415", StatusReportKind.DeliveryReceipt, "REJECTD", true, false, "REJECTD (err 000)")]
    [InlineData("receipt-no-sub-dlvrd", "deliver_sm", "1526758174", StatusReportKind.DeliveryReceipt, "DELIVRD", true, true, null)]
    [InlineData("receipt-err-alnum", "deliver_sm", "45013692", StatusReportKind.DeliveryReceipt, "UNDELIV", true, false, "UNDELIV (err 21b)")]
    [InlineData("receipt-tlv-only", "deliver_sm", "0A1B2C3D", StatusReportKind.DeliveryReceipt, "UNDELIV", true, false, "UNDELIV (network 3:11)")]
    [InlineData("payload-receipt", "deliver_sm", "4420", StatusReportKind.DeliveryReceipt, "EXPIRED", true, false, "EXPIRED (err 000)")]
    [InlineData("datasm-receipt", "data_sm", "4430", StatusReportKind.DeliveryReceipt, "DELIVRD", true, true, null)]
    public async Task A_status_report_of_any_esm_class_type_becomes_a_report_on_its_message_and_never_an_mo(
        string @case, string command, string id, StatusReportKind kind, string state, bool final, bool delivered, string? error)
    {
        var outcome = await SendAsync(@case, ($"{command}_resp", SmppStatus.Ok));

        var intake = Assert.Single(outcome.Intakes);
        Assert.True(intake.Mo is null, $"{@case}: a status report must not become an MO (got \"{intake.Mo?.Text}\")");
        var report = intake.Report!;
        Assert.True(id == report.CarrierMessageId, $"{@case}: the report should be on message \"{id}\", not \"{report.CarrierMessageId}\"");
        Assert.Equal((kind, state, final, delivered), (report.Kind, report.State, report.Final, report.Delivered));
        if (error is null)
        {
            Assert.Null(report.Error);
        }
        else
        {
            Assert.Contains(error, report.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("esm-03", "deliver_sm", 0x03, Code)]
    [InlineData("esm-00-receipt-text", "deliver_sm", 0x00, "id:4413 sub:001 dlvrd:001 submit date:2612010000 done date:2612010001 stat:DELIVRD err:000 text:")]
    [InlineData("payload-mo", "deliver_sm", 0x00,
        "Your Pool verification code is 482913. It expires in ten minutes. Do not share it with anyone, not even someone who says "
        + "they are from Pool: we will never ask you for it. If you did not ask for a code, someone may be trying to sign in as you; "
        + "you can ignore this message. Pool.")]
    [InlineData("datasm-mo", "data_sm", 0x00, "验证码 482913")]
    public async Task A_default_type_message_is_an_mo_whatever_its_mode_bits_text_or_command(string @case, string command, int esmClass, string text)
    {
        var mo = await SingleMoAsync(@case, command);

        Assert.Equal((command, (byte)esmClass), (mo.Raw!.Command, mo.Raw.EsmClass));
        Assert.True(text == mo.Text, $"{@case}: the MO text should be \"{text}\", not \"{mo.Text}\"");
        Assert.Equal((Sender, PoolNumber), (mo.Sender, mo.Number));
    }

    [Theory]
    [InlineData("addr-national", "+85251880000", false)]
    [InlineData("addr-international", "+85251880000", false)]
    [InlineData("addr-international-plus", "+85251880000", false)]
    [InlineData("addr-unknown-ton", "+85251880000", false)]
    [InlineData("addr-unknown-ton-00", "+85251880000", false)]
    [InlineData("addr-alphanumeric", "POOLTEST", true)]
    [InlineData("addr-garbage", "85#2x", true)]
    [InlineData("addr-empty", "", true)]
    public async Task The_recipient_is_read_by_ton_and_the_connections_country_and_an_unreadable_one_is_still_taken(string @case, string number, bool unroutable)
    {
        var mo = await SingleMoAsync(@case, "deliver_sm");

        Assert.True(number == mo.Number, $"{@case}: the recipient should be \"{number}\", not \"{mo.Number}\" ({mo.Raw!.Problem})");
        Assert.True(unroutable == mo.Flags.Contains(InboundFlags.Unroutable), $"{@case}: the MO should {(unroutable ? "" : "not ")}be flagged unroutable; flags [{string.Join(",", mo.Flags)}]");
        Assert.Equal(Code, mo.Text);
    }

    [Theory]
    [InlineData("bad-sm-length", "deliver_sm")]
    [InlineData("bad-cstring", "deliver_sm")]
    [InlineData("bad-tlv-length", "deliver_sm")]
    [InlineData("bad-datasm", "data_sm")]
    public async Task A_malformed_pdu_is_refused_for_good_with_its_own_response_and_the_bind_stays_up(string @case, string command)
    {
        var binds = smsc.Client.BindCount;

        var outcome = await SendAsync(@case, ($"{command}_resp", SmppStatus.ReceiverPermanentError));

        Assert.True(outcome.Intakes.Count == 0, $"{@case}: a PDU that cannot be read must not be handed over");
        var after = await SingleMoAsync("dcs-f0", "deliver_sm");
        Assert.Equal(Code, after.Text);
        Assert.True(binds == smsc.Client.BindCount && smsc.Client.State == EsmeState.Bound, $"{@case}: the refusal should keep the same session bound");
    }

    private async Task<InboundMessage> SingleMoAsync(string @case, string command)
    {
        var outcome = await SendAsync(@case, ($"{command}_resp", SmppStatus.Ok));
        var intake = Assert.Single(outcome.Intakes);
        Assert.True(intake.Mo is not null, $"{@case}: should be handed over as an MO, not as a status report on \"{intake.Report?.CarrierMessageId}\"");
        return intake.Mo;
    }

    /// <summary>Sends <paramref name="case"/> and checks that the SMSC got exactly <paramref name="answers"/>.</summary>
    private async Task<CaseOutcome> SendAsync(string @case, params (string Command, uint Status)[] answers)
    {
        var outcome = await smsc.SendAsync(@case);
        Assert.True(
            answers.SequenceEqual(outcome.Answers),
            $"{@case}: the SMSC should have been answered [{Describe(answers)}], got [{Describe(outcome.Answers)}]");
        return outcome;
    }

    private static string Describe(IEnumerable<(string Command, uint Status)> answers) =>
        string.Join(", ", answers.Select(a => $"{a.Command} {SmppStatus.Name(a.Status)}"));

    private static string[] Split(string flags) => flags.Length == 0 ? [] : flags.Split(',');
}
