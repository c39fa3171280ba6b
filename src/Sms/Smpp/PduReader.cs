using System.Buffers.Binary;

namespace Pool.Sms.Smpp;

/// <summary>Reads a PDU body field by field; every failure is a <see cref="SmppDecodeException"/> naming the field.</summary>
internal ref struct PduReader(ReadOnlySpan<byte> frame, uint commandId, uint sequenceNumber)
{
    private readonly ReadOnlySpan<byte> _frame = frame;
    private int _offset = SmppCodec.HeaderLength;

    public readonly int Offset => _offset;

    public readonly int Remaining => _frame.Length - _offset;

    public readonly bool AtEnd => _offset >= _frame.Length;

    private readonly string Command => SmppCommandIds.Name(commandId);

    public byte ReadByte(string field)
    {
        Need(field, 1);
        return _frame[_offset++];
    }

    public ushort ReadUInt16(string field)
    {
        Need(field, 2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_frame[_offset..]);
        _offset += 2;
        return value;
    }

    public byte[] ReadOctets(string field, int count)
    {
        Need(field, count);
        var value = _frame.Slice(_offset, count).ToArray();
        _offset += count;
        return value;
    }

    /// <summary>Reads a C-Octet String of at most <paramref name="maxLength"/> octets, its NUL included.</summary>
    public string ReadCString(string field, int maxLength)
    {
        var window = _frame.Slice(_offset, Math.Min(maxLength, Remaining));
        var nul = window.IndexOf((byte)0);
        if (nul < 0)
        {
            var where = window.Length < maxLength ? "before the end of the PDU" : $"within {maxLength} bytes";
            throw Fail(field, $"{field} is not NUL-terminated {where}", StatusFor(field));
        }

        var value = System.Text.Encoding.Latin1.GetString(window[..nul]);
        _offset += nul + 1;
        return value;
    }

    /// <summary>Reads optional parameters up to the end of the frame.</summary>
    public IReadOnlyList<Tlv> ReadTlvs()
    {
        if (AtEnd)
        {
            return [];
        }

        var tlvs = new List<Tlv>();
        while (!AtEnd)
        {
            if (Remaining < 4)
            {
                throw Fail("TLV", $"TLV header is cut off: {Remaining} bytes remain, 4 are needed", SmppStatus.InvalidOptionalParameterStream);
            }

            var tag = BinaryPrimitives.ReadUInt16BigEndian(_frame[_offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(_frame[(_offset + 2)..]);
            var name = TlvTag.Name(tag);
            if (length > Remaining - 4)
            {
                throw Fail(name, $"{name} declares {length} bytes but {Remaining - 4} remain", SmppStatus.InvalidOptionalParameterStream);
            }

            if (TlvTag.FixedLength(tag) is { } expected && length != expected)
            {
                throw Fail(name, $"{name} has length {length}; expected {expected}", SmppStatus.InvalidParameterLength);
            }

            _offset += 4;
            tlvs.Add(new Tlv(tag, _frame.Slice(_offset, length).ToArray()));
            _offset += length;
        }

        return tlvs;
    }

    /// <summary>Fails when bytes are left that the command's body does not define.</summary>
    public readonly void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw Fail("body", $"{Remaining} unexpected bytes after the body", SmppStatus.InvalidCommandLength);
        }
    }

    public readonly SmppDecodeException Fail(string field, string problem, uint status) =>
        new($"{Command}: {problem} at offset {_offset}", field, _offset, status, frameIntact: true, commandId, sequenceNumber);

    private readonly void Need(string field, int count)
    {
        if (Remaining < count)
        {
            var problem = Remaining == 0
                ? $"{field} is missing: the PDU ends"
                : $"{field} needs {count} bytes but {Remaining} remain";
            throw Fail(field, problem, field == "sm_length" || field == "short_message" ? SmppStatus.InvalidMessageLength : SmppStatus.InvalidCommandLength);
        }
    }

    private static uint StatusFor(string field) => field switch
    {
        "source_addr" => SmppStatus.InvalidSourceAddress,
        "destination_addr" => SmppStatus.InvalidDestinationAddress,
        "system_id" => SmppStatus.InvalidSystemId,
        "password" => SmppStatus.InvalidPassword,
        "service_type" => SmppStatus.InvalidServiceType,
        "schedule_delivery_time" => SmppStatus.InvalidScheduledDeliveryTime,
        "validity_period" => SmppStatus.InvalidValidityPeriod,
        "message_id" => SmppStatus.InvalidMessageId,
        _ => SmppStatus.InvalidCommandLength,
    };
}
