namespace Pool.Sms.Smpp;

/// <summary>The SMPP 3.4 command ids this codec reads and writes (§5.1.2.1). A response is its request's id with bit 31 set.</summary>
public enum SmppCommandId : uint
{
    GenericNack = 0x80000000,
    BindReceiver = 0x00000001,
    BindReceiverResp = 0x80000001,
    BindTransmitter = 0x00000002,
    BindTransmitterResp = 0x80000002,
    SubmitSm = 0x00000004,
    SubmitSmResp = 0x80000004,
    DeliverSm = 0x00000005,
    DeliverSmResp = 0x80000005,
    Unbind = 0x00000006,
    UnbindResp = 0x80000006,
    BindTransceiver = 0x00000009,
    BindTransceiverResp = 0x80000009,
    EnquireLink = 0x00000015,
    EnquireLinkResp = 0x80000015,
    DataSm = 0x00000103,
    DataSmResp = 0x80000103,
}

/// <summary>Names and properties of command ids, as the specification spells them.</summary>
public static class SmppCommandIds
{
    /// <summary>The bit that marks a response.</summary>
    public const uint ResponseBit = 0x80000000;

    /// <summary>Whether <paramref name="commandId"/> is a response (bit 31 set; generic_nack included).</summary>
    public static bool IsResponse(uint commandId) => (commandId & ResponseBit) != 0;

    /// <summary>The specification's name ("submit_sm"), or the id in hex when it is not one this codec knows.</summary>
    public static string Name(uint commandId) => (SmppCommandId)commandId switch
    {
        SmppCommandId.GenericNack => "generic_nack",
        SmppCommandId.BindReceiver => "bind_receiver",
        SmppCommandId.BindReceiverResp => "bind_receiver_resp",
        SmppCommandId.BindTransmitter => "bind_transmitter",
        SmppCommandId.BindTransmitterResp => "bind_transmitter_resp",
        SmppCommandId.SubmitSm => "submit_sm",
        SmppCommandId.SubmitSmResp => "submit_sm_resp",
        SmppCommandId.DeliverSm => "deliver_sm",
        SmppCommandId.DeliverSmResp => "deliver_sm_resp",
        SmppCommandId.Unbind => "unbind",
        SmppCommandId.UnbindResp => "unbind_resp",
        SmppCommandId.BindTransceiver => "bind_transceiver",
        SmppCommandId.BindTransceiverResp => "bind_transceiver_resp",
        SmppCommandId.EnquireLink => "enquire_link",
        SmppCommandId.EnquireLinkResp => "enquire_link_resp",
        SmppCommandId.DataSm => "data_sm",
        SmppCommandId.DataSmResp => "data_sm_resp",
        _ => $"command 0x{commandId:X8}",
    };
}
