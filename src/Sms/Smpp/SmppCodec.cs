using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Pool.Sms.Smpp;

/// <summary>
/// Encodes and decodes SMPP 3.4 PDUs. Decoding is strict and total: any input either yields a PDU or
/// fails with a <see cref="SmppDecodeException"/> naming the field and its offset; it never reads past
/// the frame and allocates no more than the frame's length.
/// </summary>
public static class SmppCodec
{
    /// <summary>command_length, command_id, command_status, sequence_number.</summary>
    public const int HeaderLength = 16;

    /// <summary>The largest command_length accepted unless the caller says otherwise.</summary>
    public const int DefaultMaxCommandLength = 64 * 1024;

    // Field sizes with their NUL (SMPP 3.4 §4).
    private const int SystemIdSize = 16;
    private const int PasswordSize = 9;
    private const int SystemTypeSize = 13;
    private const int AddressRangeSize = 41;
    private const int ServiceTypeSize = 6;
    private const int AddressSize = 21;
    private const int TimeSize = 17;
    private const int MessageIdSize = 65;
    private const int DataSmAddressSize = 65;
    private const int MaxShortMessage = 254;

    /// <summary>Encodes <paramref name="pdu"/>; throws <see cref="ArgumentException"/> when a field is too long for its slot.</summary>
    public static byte[] Encode(Pdu pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        var writer = new PduWriter(pdu);
        switch (pdu)
        {
            case Bind bind:
                writer.WriteCString("system_id", bind.SystemId, SystemIdSize);
                writer.WriteCString("password", bind.Password, PasswordSize);
                writer.WriteCString("system_type", bind.SystemType, SystemTypeSize);
                writer.WriteByte(bind.InterfaceVersion);
                writer.WriteByte(bind.AddrTon);
                writer.WriteByte(bind.AddrNpi);
                writer.WriteCString("address_range", bind.AddressRange, AddressRangeSize);
                break;
            case BindResp resp:
                writer.WriteCString("system_id", resp.SystemId, SystemIdSize);
                writer.WriteTlvs(resp.Tlvs);
                break;
            case ShortMessagePdu message:
                WriteMessage(writer, message);
                break;
            case DataSm data:
                WriteDataSm(writer, data);
                break;
            case DataSmResp resp:
                writer.WriteCString("message_id", resp.MessageId, MessageIdSize);
                writer.WriteTlvs(resp.Tlvs);
                break;
            case SubmitSmResp resp:
                writer.WriteCString("message_id", resp.MessageId, MessageIdSize);
                break;
            case DeliverSmResp resp:
                writer.WriteCString("message_id", resp.MessageId, MessageIdSize);
                break;
            case EnquireLink or EnquireLinkResp or Unbind or UnbindResp or GenericNack:
                break;
            default:
                throw new ArgumentException($"{pdu.GetType().Name} has no encoding.", nameof(pdu));
        }

        return writer.ToArray();
    }

    /// <summary>Decodes one whole frame (header included); throws <see cref="SmppDecodeException"/> when it is malformed.</summary>
    public static Pdu Decode(ReadOnlySpan<byte> frame, int maxCommandLength = DefaultMaxCommandLength)
    {
        if (frame.Length < HeaderLength)
        {
            throw new SmppDecodeException(
                $"PDU: the header needs {HeaderLength} bytes but the frame has {frame.Length} at offset 0",
                "command_length", 0, SmppStatus.InvalidCommandLength, frameIntact: false);
        }

        var commandLength = BinaryPrimitives.ReadUInt32BigEndian(frame);
        CheckCommandLength(commandLength, maxCommandLength);
        if (commandLength != frame.Length)
        {
            throw new SmppDecodeException(
                $"PDU: command_length {commandLength} does not match the frame's {frame.Length} bytes at offset 0",
                "command_length", 0, SmppStatus.InvalidCommandLength, frameIntact: false);
        }

        var commandId = BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
        var status = BinaryPrimitives.ReadUInt32BigEndian(frame[8..]);
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(frame[12..]);
        var reader = new PduReader(frame, commandId, sequence);
        Pdu pdu = (SmppCommandId)commandId switch
        {
            SmppCommandId.BindTransceiver => ReadBind(ref reader, BindMode.Transceiver),
            SmppCommandId.BindTransmitter => ReadBind(ref reader, BindMode.Transmitter),
            SmppCommandId.BindReceiver => ReadBind(ref reader, BindMode.Receiver),
            SmppCommandId.BindTransceiverResp => ReadBindResp(ref reader, BindMode.Transceiver),
            SmppCommandId.BindTransmitterResp => ReadBindResp(ref reader, BindMode.Transmitter),
            SmppCommandId.BindReceiverResp => ReadBindResp(ref reader, BindMode.Receiver),
            SmppCommandId.SubmitSm => ReadMessage(ref reader, new SubmitSm()),
            SmppCommandId.DeliverSm => ReadMessage(ref reader, new DeliverSm()),
            SmppCommandId.SubmitSmResp => new SubmitSmResp { MessageId = ReadOptionalCString(ref reader, "message_id", MessageIdSize) },
            SmppCommandId.DeliverSmResp => new DeliverSmResp { MessageId = ReadOptionalCString(ref reader, "message_id", MessageIdSize) },
            SmppCommandId.DataSm => ReadDataSm(ref reader),
            SmppCommandId.DataSmResp => ReadDataSmResp(ref reader),
            SmppCommandId.EnquireLink => Empty(ref reader, new EnquireLink()),
            SmppCommandId.EnquireLinkResp => Empty(ref reader, new EnquireLinkResp()),
            SmppCommandId.Unbind => Empty(ref reader, new Unbind()),
            SmppCommandId.UnbindResp => Empty(ref reader, new UnbindResp()),
            SmppCommandId.GenericNack => Empty(ref reader, new GenericNack()),
            _ => throw new SmppDecodeException(
                $"PDU: command_id 0x{commandId:X8} is not a command this SMSC/ESME supports at offset 4",
                "command_id", 4, SmppStatus.InvalidCommandId, frameIntact: true, commandId, sequence),
        };

        return pdu with { CommandStatus = status, SequenceNumber = sequence };
    }

    /// <summary>Decodes like <see cref="Decode"/> but reports a malformed frame as <paramref name="error"/> instead of throwing.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> frame, [NotNullWhen(true)] out Pdu? pdu, [NotNullWhen(false)] out SmppDecodeException? error, int maxCommandLength = DefaultMaxCommandLength)
    {
        try
        {
            pdu = Decode(frame, maxCommandLength);
            error = null;
            return true;
        }
        catch (SmppDecodeException e)
        {
            pdu = null;
            error = e;
            return false;
        }
    }

    /// <summary>Refuses a command_length below the header's size or above <paramref name="maxCommandLength"/>, before any body is read.</summary>
    public static void CheckCommandLength(uint commandLength, int maxCommandLength = DefaultMaxCommandLength)
    {
        if (commandLength < HeaderLength)
        {
            throw new SmppDecodeException(
                $"PDU: command_length {commandLength} is smaller than the {HeaderLength}-byte header at offset 0",
                "command_length", 0, SmppStatus.InvalidCommandLength, frameIntact: false);
        }

        if (commandLength > (uint)maxCommandLength)
        {
            throw new SmppDecodeException(
                $"PDU: command_length {commandLength} exceeds the limit of {maxCommandLength} bytes at offset 0",
                "command_length", 0, SmppStatus.InvalidCommandLength, frameIntact: false);
        }
    }

    private static void WriteMessage(PduWriter writer, ShortMessagePdu message)
    {
        if (message.ShortMessage.Length > MaxShortMessage)
        {
            throw new ArgumentException($"short_message is {message.ShortMessage.Length} bytes; at most {MaxShortMessage} fit (use message_payload).", nameof(message));
        }

        writer.WriteCString("service_type", message.ServiceType, ServiceTypeSize);
        writer.WriteByte(message.SourceAddrTon);
        writer.WriteByte(message.SourceAddrNpi);
        writer.WriteCString("source_addr", message.SourceAddr, AddressSize);
        writer.WriteByte(message.DestAddrTon);
        writer.WriteByte(message.DestAddrNpi);
        writer.WriteCString("destination_addr", message.DestinationAddr, AddressSize);
        writer.WriteByte(message.EsmClass);
        writer.WriteByte(message.ProtocolId);
        writer.WriteByte(message.PriorityFlag);
        writer.WriteCString("schedule_delivery_time", message.ScheduleDeliveryTime, TimeSize);
        writer.WriteCString("validity_period", message.ValidityPeriod, TimeSize);
        writer.WriteByte(message.RegisteredDelivery);
        writer.WriteByte(message.ReplaceIfPresentFlag);
        writer.WriteByte(message.DataCoding);
        writer.WriteByte(message.SmDefaultMsgId);
        writer.WriteByte((byte)message.ShortMessage.Length);
        writer.WriteOctets(message.ShortMessage);
        writer.WriteTlvs(message.Tlvs);
    }

    private static void WriteDataSm(PduWriter writer, DataSm data)
    {
        writer.WriteCString("service_type", data.ServiceType, ServiceTypeSize);
        writer.WriteByte(data.SourceAddrTon);
        writer.WriteByte(data.SourceAddrNpi);
        writer.WriteCString("source_addr", data.SourceAddr, DataSmAddressSize);
        writer.WriteByte(data.DestAddrTon);
        writer.WriteByte(data.DestAddrNpi);
        writer.WriteCString("destination_addr", data.DestinationAddr, DataSmAddressSize);
        writer.WriteByte(data.EsmClass);
        writer.WriteByte(data.RegisteredDelivery);
        writer.WriteByte(data.DataCoding);
        writer.WriteTlvs(data.Tlvs);
    }

    private static DataSm ReadDataSm(ref PduReader reader) => new()
    {
        ServiceType = reader.ReadCString("service_type", ServiceTypeSize),
        SourceAddrTon = reader.ReadByte("source_addr_ton"),
        SourceAddrNpi = reader.ReadByte("source_addr_npi"),
        SourceAddr = reader.ReadCString("source_addr", DataSmAddressSize),
        DestAddrTon = reader.ReadByte("dest_addr_ton"),
        DestAddrNpi = reader.ReadByte("dest_addr_npi"),
        DestinationAddr = reader.ReadCString("destination_addr", DataSmAddressSize),
        EsmClass = reader.ReadByte("esm_class"),
        RegisteredDelivery = reader.ReadByte("registered_delivery"),
        DataCoding = reader.ReadByte("data_coding"),
        Tlvs = reader.ReadTlvs(),
    };

    // Like submit_sm_resp, a data_sm_resp that reports an error may come without a body.
    private static DataSmResp ReadDataSmResp(ref PduReader reader) => new()
    {
        MessageId = reader.AtEnd ? "" : reader.ReadCString("message_id", MessageIdSize),
        Tlvs = reader.ReadTlvs(),
    };

    private static Bind ReadBind(ref PduReader reader, BindMode mode)
    {
        var bind = new Bind
        {
            Mode = mode,
            SystemId = reader.ReadCString("system_id", SystemIdSize),
            Password = reader.ReadCString("password", PasswordSize),
            SystemType = reader.ReadCString("system_type", SystemTypeSize),
            InterfaceVersion = reader.ReadByte("interface_version"),
            AddrTon = reader.ReadByte("addr_ton"),
            AddrNpi = reader.ReadByte("addr_npi"),
            AddressRange = reader.ReadCString("address_range", AddressRangeSize),
        };
        reader.ExpectEnd();
        return bind;
    }

    // A bind_resp that reports an error may leave out its body (§4.1.2 note); an empty body reads as an empty system_id.
    private static BindResp ReadBindResp(ref PduReader reader, BindMode mode) => new()
    {
        Mode = mode,
        SystemId = reader.AtEnd ? "" : reader.ReadCString("system_id", SystemIdSize),
        Tlvs = reader.ReadTlvs(),
    };

    private static ShortMessagePdu ReadMessage(ref PduReader reader, ShortMessagePdu message)
    {
        var serviceType = reader.ReadCString("service_type", ServiceTypeSize);
        var sourceTon = reader.ReadByte("source_addr_ton");
        var sourceNpi = reader.ReadByte("source_addr_npi");
        var source = reader.ReadCString("source_addr", AddressSize);
        var destTon = reader.ReadByte("dest_addr_ton");
        var destNpi = reader.ReadByte("dest_addr_npi");
        var destination = reader.ReadCString("destination_addr", AddressSize);
        var esmClass = reader.ReadByte("esm_class");
        var protocolId = reader.ReadByte("protocol_id");
        var priority = reader.ReadByte("priority_flag");
        var schedule = reader.ReadCString("schedule_delivery_time", TimeSize);
        var validity = reader.ReadCString("validity_period", TimeSize);
        var registered = reader.ReadByte("registered_delivery");
        var replace = reader.ReadByte("replace_if_present_flag");
        var dataCoding = reader.ReadByte("data_coding");
        var defaultMsgId = reader.ReadByte("sm_default_msg_id");
        var smLength = reader.ReadByte("sm_length");
        if (smLength > reader.Remaining)
        {
            throw reader.Fail("short_message", $"sm_length {smLength} runs past the {reader.Remaining} bytes that remain", SmppStatus.InvalidMessageLength);
        }

        var shortMessage = reader.ReadOctets("short_message", smLength);
        var tlvs = reader.ReadTlvs();
        return message with
        {
            ServiceType = serviceType,
            SourceAddrTon = sourceTon,
            SourceAddrNpi = sourceNpi,
            SourceAddr = source,
            DestAddrTon = destTon,
            DestAddrNpi = destNpi,
            DestinationAddr = destination,
            EsmClass = esmClass,
            ProtocolId = protocolId,
            PriorityFlag = priority,
            ScheduleDeliveryTime = schedule,
            ValidityPeriod = validity,
            RegisteredDelivery = registered,
            ReplaceIfPresentFlag = replace,
            DataCoding = dataCoding,
            SmDefaultMsgId = defaultMsgId,
            ShortMessage = shortMessage,
            Tlvs = tlvs,
        };
    }

    private static string ReadOptionalCString(ref PduReader reader, string field, int maxLength)
    {
        if (reader.AtEnd)
        {
            return "";
        }

        var value = reader.ReadCString(field, maxLength);
        reader.ExpectEnd();
        return value;
    }

    private static T Empty<T>(ref PduReader reader, T pdu)
        where T : Pdu
    {
        reader.ExpectEnd();
        return pdu;
    }
}
