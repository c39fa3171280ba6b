using System.Buffers.Binary;

namespace Pool.Sms.Smpp;

/// <summary>
/// Reads whole PDUs from a stream. The header's command_length is checked against the limit before
/// the body is read or any buffer for it allocated, so a peer cannot make the reader wait for or hold
/// more than the limit. Not thread-safe: one reader per connection.
/// </summary>
public sealed class SmppFrameReader
{
    private readonly Stream _stream;
    private readonly int _maxCommandLength;
    private readonly byte[] _header = new byte[SmppCodec.HeaderLength];

    public SmppFrameReader(Stream stream, int maxCommandLength = SmppCodec.DefaultMaxCommandLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCommandLength, SmppCodec.HeaderLength);
        _stream = stream;
        _maxCommandLength = maxCommandLength;
    }

    /// <summary>
    /// The next PDU, or null when the stream ended cleanly between two PDUs. A stream that ends inside a
    /// PDU, or a bad command_length, fails with a <see cref="SmppDecodeException"/> whose
    /// <see cref="SmppDecodeException.FrameIntact"/> is false; a malformed body fails with one whose
    /// FrameIntact is true (the next PDU can still be read).
    /// </summary>
    public async ValueTask<Pdu?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var frame = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        return frame is null ? null : SmppCodec.Decode(frame, _maxCommandLength);
    }

    /// <summary>The next frame's bytes (header included), or null at a clean end of stream.</summary>
    public async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        var read = await FillAsync(_header, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < SmppCodec.HeaderLength)
        {
            throw Truncated("header", read, SmppCodec.HeaderLength);
        }

        var commandLength = BinaryPrimitives.ReadUInt32BigEndian(_header);
        SmppCodec.CheckCommandLength(commandLength, _maxCommandLength);
        var frame = new byte[commandLength];
        _header.CopyTo(frame, 0);
        read = await FillAsync(frame.AsMemory(SmppCodec.HeaderLength), cancellationToken).ConfigureAwait(false);
        if (read < frame.Length - SmppCodec.HeaderLength)
        {
            throw Truncated("body", SmppCodec.HeaderLength + read, frame.Length);
        }

        return frame;
    }

    private async ValueTask<int> FillAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await _stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static SmppDecodeException Truncated(string part, int received, int expected) =>
        new($"PDU: the stream ended after {received} of {expected} bytes, inside the {part} at offset {received}",
            part, received, SmppStatus.InvalidCommandLength, frameIntact: false);
}
