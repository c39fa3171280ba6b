using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp;

public sealed class SmppCodecTests
{
    public static IReadOnlyList<Pdu> Samples { get; } =
    [
        new Bind { Mode = BindMode.Transceiver, SequenceNumber = 1, SystemId = "pool", Password = "secret", SystemType = "OTP", AddrTon = 1, AddrNpi = 1, AddressRange = "^852" },
        new Bind { Mode = BindMode.Transmitter, SequenceNumber = 2, SystemId = "transmitter", Password = "12345678" },
        new Bind { Mode = BindMode.Receiver, SequenceNumber = 3, SystemId = "receiver", Password = "" },
        new BindResp { Mode = BindMode.Transceiver, SequenceNumber = 1, SystemId = "SMSC" },
        new BindResp { Mode = BindMode.Transmitter, SequenceNumber = 2, SystemId = "SMSC", Tlvs = [Tlv.FromByte(TlvTag.ScInterfaceVersion, 0x34)] },
        new BindResp { Mode = BindMode.Receiver, SequenceNumber = 3, CommandStatus = SmppStatus.InvalidPassword },
        new Unbind { SequenceNumber = 4 },
        new UnbindResp { SequenceNumber = 4 },
        new EnquireLink { SequenceNumber = 0x7FFFFFFF },
        new EnquireLinkResp { SequenceNumber = 0x7FFFFFFF },
        new GenericNack { SequenceNumber = 9, CommandStatus = SmppStatus.InvalidCommandId },
        new SubmitSm
        {
            SequenceNumber = 5,
            ServiceType = "CMT",
            SourceAddrTon = 5,
            SourceAddrNpi = 0,
            SourceAddr = "Pool",
            DestAddrTon = 1,
            DestAddrNpi = 1,
            DestinationAddr = "85251234567",
            EsmClass = EsmClass.UdhIndicator,
            RegisteredDelivery = 1,
            ValidityPeriod = "000000001000000R",
            DataCoding = 0x08,
            ShortMessage = [0x05, 0x00, 0x03, 0x2A, 0x02, 0x01, 0x4F, 0x60, 0x59, 0x7D],
            Tlvs = [Tlv.FromUInt16(TlvTag.SarMsgRefNum, 0x1234), Tlv.FromByte(TlvTag.SarTotalSegments, 2), Tlv.FromByte(TlvTag.SarSegmentSeqnum, 1), new Tlv(0x1401, [0xDE, 0xAD])],
        },
        new SubmitSmResp { SequenceNumber = 5, MessageId = "1A2B3C" },
        new SubmitSmResp { SequenceNumber = 6, CommandStatus = SmppStatus.Throttled },
        new DeliverSm
        {
            SequenceNumber = 7,
            SourceAddr = "85251234567",
            DestinationAddr = "447911123456",
            EsmClass = EsmClass.DeliveryReceipt,
            ShortMessage = "id:6699 sub:001 dlvrd:001 submit date:2611231200 done date:2611231201 stat:DELIVRD err:000 text:"u8.ToArray(),
            Tlvs = [Tlv.FromCString(TlvTag.ReceiptedMessageId, "1A2B"), Tlv.FromByte(TlvTag.MessageState, 2)],
        },
        new DeliverSm { SequenceNumber = 8, SourceAddr = "85251234567", DestinationAddr = "447911123456", Tlvs = [new Tlv(TlvTag.MessagePayload, new byte[600])] },
        new DeliverSmResp { SequenceNumber = 7 },
    ];

    public static TheoryData<Pdu> EveryPdu() => new(Samples);

    [Theory]
    [MemberData(nameof(EveryPdu))]
    public void Every_pdu_decodes_to_what_was_encoded_and_encodes_back_to_the_same_bytes(Pdu pdu)
    {
        var bytes = SmppCodec.Encode(pdu);
        var decoded = SmppCodec.Decode(bytes);

        Assert.Equal(pdu.GetType(), decoded.GetType());
        Assert.Equal(pdu.CommandId, decoded.CommandId);
        Assert.Equal(pdu.CommandStatus, decoded.CommandStatus);
        Assert.Equal(pdu.SequenceNumber, decoded.SequenceNumber);
        Assert.Equal(bytes, SmppCodec.Encode(decoded));
        Assert.Equal((uint)bytes.Length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    [Fact]
    public void Submit_sm_fields_and_unknown_tlvs_survive_a_round_trip()
    {
        var pdu = Samples.OfType<SubmitSm>().First();

        var decoded = Assert.IsType<SubmitSm>(SmppCodec.Decode(SmppCodec.Encode(pdu)));

        Assert.Equal("CMT", decoded.ServiceType);
        Assert.Equal("Pool", decoded.SourceAddr);
        Assert.Equal(5, decoded.SourceAddrTon);
        Assert.Equal("85251234567", decoded.DestinationAddr);
        Assert.Equal("000000001000000R", decoded.ValidityPeriod);
        Assert.Equal(pdu.ShortMessage, decoded.ShortMessage);
        Assert.Equal(4, decoded.Tlvs.Count);
        Assert.Equal([0xDE, 0xAD], decoded.FindTlv(0x1401)!.Value);
        Assert.Equal([0x12, 0x34], decoded.FindTlv(TlvTag.SarMsgRefNum)!.Value);
    }

    [Fact]
    public void Enquire_link_matches_the_specification_bytes()
    {
        byte[] expected = [0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01];

        Assert.Equal(expected, SmppCodec.Encode(new EnquireLink { SequenceNumber = 1 }));
        Assert.IsType<EnquireLink>(SmppCodec.Decode(expected));
    }

    [Fact]
    public void Bind_transceiver_matches_the_specification_layout()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
            (byte)'p', (byte)'o', (byte)'o', (byte)'l', 0x00,
            (byte)'s', (byte)'e', (byte)'c', (byte)'r', (byte)'e', (byte)'t', 0x00,
            0x00,
            0x34, 0x00, 0x00,
            0x00,
        ];

        var bind = new Bind { Mode = BindMode.Transceiver, SequenceNumber = 1, SystemId = "pool", Password = "secret" };

        Assert.Equal(expected, SmppCodec.Encode(bind));
        var decoded = Assert.IsType<Bind>(SmppCodec.Decode(expected));
        Assert.Equal(("pool", "secret", (byte)0x34), (decoded.SystemId, decoded.Password, decoded.InterfaceVersion));
    }

    [Fact]
    public void Submit_sm_matches_the_specification_layout()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x3A, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
            0x00, // service_type ""
            0x05, 0x00, (byte)'P', (byte)'o', (byte)'o', (byte)'l', 0x00, // source ton 5, npi 0, "Pool"
            0x01, 0x01, (byte)'8', (byte)'5', (byte)'2', (byte)'5', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', 0x00,
            0x00, 0x00, 0x00, // esm_class, protocol_id, priority_flag
            0x00, 0x00, // schedule_delivery_time, validity_period
            0x01, 0x00, 0x00, 0x00, // registered_delivery, replace_if_present, data_coding, sm_default_msg_id
            0x05, (byte)'H', (byte)'e', (byte)'l', (byte)'l', (byte)'o',
            0x04, 0x27, 0x00, 0x01, 0x02, // message_state TLV
        ];

        var submit = new SubmitSm
        {
            SequenceNumber = 2,
            SourceAddrTon = 5,
            SourceAddr = "Pool",
            DestAddrTon = 1,
            DestAddrNpi = 1,
            DestinationAddr = "85251234567",
            RegisteredDelivery = 1,
            ShortMessage = "Hello"u8.ToArray(),
            Tlvs = [Tlv.FromByte(TlvTag.MessageState, 2)],
        };

        Assert.Equal(expected, SmppCodec.Encode(submit));
    }

    [Fact]
    public void A_response_that_reports_an_error_may_leave_out_its_body()
    {
        byte[] frame = [0x00, 0x00, 0x00, 0x10, 0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00, 0x07];

        var resp = Assert.IsType<SubmitSmResp>(SmppCodec.Decode(frame));

        Assert.Equal(SmppStatus.Throttled, resp.CommandStatus);
        Assert.Equal("", resp.MessageId);
    }

    [Fact]
    public void A_source_address_without_its_nul_is_refused_naming_the_field_and_offset()
    {
        var bytes = SmppCodec.Encode(new SubmitSm { SequenceNumber = 1, SourceAddr = "85251234567", DestinationAddr = "1" });
        var tampered = bytes.ToArray();
        // service_type "" at 16, ton at 17, npi at 18, source_addr at 19..30 (11 digits + NUL); fill to run past 21 bytes.
        for (var i = 19; i < 19 + 21; i++)
        {
            tampered[i] = (byte)'9';
        }

        var error = Assert.Throws<SmppDecodeException>(() => SmppCodec.Decode(tampered));

        Assert.Equal("submit_sm: source_addr is not NUL-terminated within 21 bytes at offset 19", error.Message);
        Assert.Equal("source_addr", error.Field);
        Assert.Equal(19, error.Offset);
        Assert.Equal(SmppStatus.InvalidSourceAddress, error.SuggestedStatus);
        Assert.True(error.FrameIntact, "a bad field inside a well-framed PDU leaves the stream in step");
        Assert.Equal(1u, error.SequenceNumber);
    }

    [Theory]
    [InlineData(15u, "command_length 15 is smaller than the 16-byte header")]
    [InlineData(0u, "command_length 0 is smaller than the 16-byte header")]
    [InlineData(0xFFFFFFFFu, "command_length 4294967295 exceeds the limit of 65536 bytes")]
    [InlineData(65537u, "command_length 65537 exceeds the limit of 65536 bytes")]
    public void A_command_length_outside_the_limits_is_refused(uint commandLength, string expected)
    {
        var frame = SmppCodec.Encode(new EnquireLink { SequenceNumber = 1 });
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame, commandLength);

        var error = Assert.Throws<SmppDecodeException>(() => SmppCodec.Decode(frame));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(error.FrameIntact);
        Assert.Equal("command_length", error.Field);
    }

    [Fact]
    public void A_truncated_body_is_refused_with_the_field_it_stopped_in()
    {
        var bytes = SmppCodec.Encode(new SubmitSm { SequenceNumber = 1, SourceAddr = "A", DestinationAddr = "B", ShortMessage = "Hello"u8.ToArray() });
        var truncated = bytes[..^3];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(truncated, (uint)truncated.Length);

        var error = Assert.Throws<SmppDecodeException>(() => SmppCodec.Decode(truncated));

        Assert.Equal("short_message", error.Field);
        Assert.Contains("sm_length 5 runs past the 2 bytes that remain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tlv_that_runs_past_the_pdu_is_refused()
    {
        var bytes = SmppCodec.Encode(new DeliverSm { SequenceNumber = 1, Tlvs = [new Tlv(TlvTag.MessagePayload, [1, 2, 3])] });
        bytes[^5] = 0x00;
        bytes[^4] = 0x09; // declared length 9, 3 present

        var error = Assert.Throws<SmppDecodeException>(() => SmppCodec.Decode(bytes));

        Assert.Equal("message_payload", error.Field);
        Assert.Contains("message_payload declares 9 bytes but 3 remain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_size_tlv_with_the_wrong_length_is_refused()
    {
        var bytes = SmppCodec.Encode(new DeliverSm { SequenceNumber = 1, Tlvs = [new Tlv(TlvTag.MessageState, [2, 0])] });

        var error = Assert.Throws<SmppDecodeException>(() => SmppCodec.Decode(bytes));

        Assert.Contains("message_state has length 2; expected 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(SmppStatus.InvalidParameterLength, error.SuggestedStatus);
    }

    [Fact]
    public void An_unknown_command_is_refused_with_invalid_command_id_and_keeps_its_sequence_number()
    {
        byte[] frame = [0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A];

        var error = Assert.Throws<SmppDecodeException>(() => SmppCodec.Decode(frame));

        Assert.Equal(SmppStatus.InvalidCommandId, error.SuggestedStatus);
        Assert.Equal(42u, error.SequenceNumber);
        Assert.True(error.FrameIntact);
    }

    [Fact]
    public void Bytes_after_a_header_only_pdu_are_refused()
    {
        byte[] frame = [0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xAB, 0xCD];

        var error = Assert.Throws<SmppDecodeException>(() => SmppCodec.Decode(frame));

        Assert.Equal("enquire_link: 2 unexpected bytes after the body at offset 16", error.Message);
    }

    [Fact]
    public void Encoding_refuses_a_field_longer_than_its_slot()
    {
        var error = Assert.Throws<ArgumentException>(() => SmppCodec.Encode(new Bind { SystemId = "a-system-id-of-20-ch" }));

        Assert.Contains("system_id is 20 characters; at most 15 fit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_frame_reader_reads_pdus_split_across_reads_and_ends_cleanly()
    {
        var bytes = SmppCodec.Encode(new EnquireLink { SequenceNumber = 1 })
            .Concat(SmppCodec.Encode(new SubmitSmResp { SequenceNumber = 2, MessageId = "abc" }))
            .ToArray();
        var reader = new SmppFrameReader(new TrickleStream(bytes));

        Assert.IsType<EnquireLink>(await reader.ReadAsync());
        Assert.Equal("abc", Assert.IsType<SubmitSmResp>(await reader.ReadAsync()).MessageId);
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task The_frame_reader_refuses_a_huge_command_length_before_reading_the_body()
    {
        byte[] header = [0x7F, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01];
        var stream = new TrickleStream(header);
        var reader = new SmppFrameReader(stream, maxCommandLength: 1024);

        var error = await Assert.ThrowsAsync<SmppDecodeException>(async () => await reader.ReadAsync());

        Assert.Contains("exceeds the limit of 1024 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(header.Length, stream.Position);
    }

    [Fact]
    public async Task The_frame_reader_refuses_a_stream_that_ends_inside_a_pdu()
    {
        var bytes = SmppCodec.Encode(new SubmitSmResp { SequenceNumber = 2, MessageId = "abc" })[..18];
        var reader = new SmppFrameReader(new MemoryStream(bytes));

        var error = await Assert.ThrowsAsync<SmppDecodeException>(async () => await reader.ReadAsync());

        Assert.Equal("PDU: the stream ended after 18 of 20 bytes, inside the body at offset 18", error.Message);
        Assert.False(error.FrameIntact);
    }

    /// <summary>Hands out at most three bytes per read, as a slow socket would.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 3));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 3)], cancellationToken);
    }
}
