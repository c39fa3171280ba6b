namespace Pool.Sms.Smpp;

/// <summary>
/// A PDU that cannot be read. The message names the command, the field and its offset in the frame.
/// When <see cref="FrameIntact"/> is true the frame's length was sound, so the session can answer
/// generic_nack with <see cref="SuggestedStatus"/> and go on; otherwise the stream is out of step and
/// the connection must be closed.
/// </summary>
public sealed class SmppDecodeException : Exception
{
    public SmppDecodeException()
    {
    }

    public SmppDecodeException(string message)
        : base(message)
    {
    }

    public SmppDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SmppDecodeException(string message, string field, int offset, uint suggestedStatus, bool frameIntact, uint? commandId = null, uint? sequenceNumber = null)
        : base(message)
    {
        Field = field;
        Offset = offset;
        SuggestedStatus = suggestedStatus;
        FrameIntact = frameIntact;
        CommandId = commandId;
        SequenceNumber = sequenceNumber;
    }

    /// <summary>The field that could not be read ("command_length", "source_addr", a TLV name).</summary>
    public string Field { get; } = "";

    /// <summary>Where in the frame the field starts.</summary>
    public int Offset { get; }

    /// <summary>The command_status to put in a generic_nack (or the response) for this PDU.</summary>
    public uint SuggestedStatus { get; } = SmppStatus.SystemError;

    /// <summary>Whether the whole frame was read, so the stream is still in step.</summary>
    public bool FrameIntact { get; }

    /// <summary>The header's command id, when the header could be read.</summary>
    public uint? CommandId { get; }

    /// <summary>The header's sequence number, when the header could be read.</summary>
    public uint? SequenceNumber { get; }
}
