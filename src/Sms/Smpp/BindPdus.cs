namespace Pool.Sms.Smpp;

/// <summary>How an ESME binds: which direction of traffic the session carries.</summary>
public enum BindMode
{
    /// <summary>bind_transmitter: the ESME submits only.</summary>
    Transmitter,

    /// <summary>bind_receiver: the ESME receives only.</summary>
    Receiver,

    /// <summary>bind_transceiver: both directions on one session.</summary>
    Transceiver,
}

/// <summary>bind_transmitter, bind_receiver or bind_transceiver (§4.1), by <see cref="Mode"/>.</summary>
public sealed record Bind : Pdu
{
    /// <summary>The interface version an SMPP 3.4 ESME announces.</summary>
    public const byte Version34 = 0x34;

    public BindMode Mode { get; init; } = BindMode.Transceiver;

    public override SmppCommandId CommandId => Mode switch
    {
        BindMode.Transmitter => SmppCommandId.BindTransmitter,
        BindMode.Receiver => SmppCommandId.BindReceiver,
        _ => SmppCommandId.BindTransceiver,
    };

    /// <summary>Up to 15 characters.</summary>
    public string SystemId { get; init; } = "";

    /// <summary>Up to 8 characters.</summary>
    public string Password { get; init; } = "";

    /// <summary>Up to 12 characters.</summary>
    public string SystemType { get; init; } = "";

    public byte InterfaceVersion { get; init; } = Version34;

    public byte AddrTon { get; init; }

    public byte AddrNpi { get; init; }

    /// <summary>Up to 40 characters.</summary>
    public string AddressRange { get; init; } = "";

    /// <summary>The matching response with <paramref name="status"/> and the SMSC's system id.</summary>
    public BindResp Response(uint status, string systemId) =>
        new() { Mode = Mode, CommandStatus = status, SequenceNumber = SequenceNumber, SystemId = systemId };
}

/// <summary>bind_transmitter_resp, bind_receiver_resp or bind_transceiver_resp.</summary>
public sealed record BindResp : Pdu
{
    public BindMode Mode { get; init; } = BindMode.Transceiver;

    public override SmppCommandId CommandId => Mode switch
    {
        BindMode.Transmitter => SmppCommandId.BindTransmitterResp,
        BindMode.Receiver => SmppCommandId.BindReceiverResp,
        _ => SmppCommandId.BindTransceiverResp,
    };

    /// <summary>The SMSC's id; up to 15 characters.</summary>
    public string SystemId { get; init; } = "";

    /// <summary>Optional parameters (sc_interface_version).</summary>
    public IReadOnlyList<Tlv> Tlvs { get; init; } = [];
}
