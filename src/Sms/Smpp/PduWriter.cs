using System.Buffers.Binary;

namespace Pool.Sms.Smpp;

/// <summary>Writes a PDU into a growing buffer; the header's command_length is filled in at the end.</summary>
internal sealed class PduWriter
{
    private byte[] _buffer = new byte[64];
    private int _length;

    public PduWriter(Pdu pdu)
    {
        WriteUInt32(0);
        WriteUInt32((uint)pdu.CommandId);
        WriteUInt32(pdu.CommandStatus);
        WriteUInt32(pdu.SequenceNumber);
    }

    public void WriteByte(byte value)
    {
        Grow(1);
        _buffer[_length++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Grow(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), value);
        _length += 2;
    }

    public void WriteUInt32(uint value)
    {
        Grow(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteOctets(ReadOnlySpan<byte> value)
    {
        Grow(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    /// <summary>Writes <paramref name="value"/> and its NUL; refuses a value longer than the field allows.</summary>
    public void WriteCString(string field, string value, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length + 1 > maxLength)
        {
            throw new ArgumentException($"{field} is {value.Length} characters; at most {maxLength - 1} fit.", field);
        }

        foreach (var c in value)
        {
            if (c is '\0' or > '\u00FF')
            {
                throw new ArgumentException($"{field} holds U+{(int)c:X4}, which is not a Latin-1 character other than NUL.", field);
            }
        }

        Grow(value.Length + 1);
        _length += System.Text.Encoding.Latin1.GetBytes(value, _buffer.AsSpan(_length));
        _buffer[_length++] = 0;
    }

    public void WriteTlvs(IReadOnlyList<Tlv> tlvs) => WriteOctets(Tlv.Encode(tlvs));

    public byte[] ToArray()
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer, (uint)_length);
        return _buffer.AsSpan(0, _length).ToArray();
    }

    private void Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }
}
