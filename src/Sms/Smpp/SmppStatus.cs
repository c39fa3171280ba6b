namespace Pool.Sms.Smpp;

/// <summary>SMPP 3.4 command_status values (§5.1.3) that Pool sends, receives or reacts to.</summary>
public static class SmppStatus
{
    public const uint Ok = 0x00000000;
    public const uint InvalidMessageLength = 0x00000001;
    public const uint InvalidCommandLength = 0x00000002;
    public const uint InvalidCommandId = 0x00000003;
    public const uint IncorrectBindStatus = 0x00000004;
    public const uint AlreadyBound = 0x00000005;
    public const uint SystemError = 0x00000008;
    public const uint InvalidSourceAddress = 0x0000000A;
    public const uint InvalidDestinationAddress = 0x0000000B;
    public const uint InvalidMessageId = 0x0000000C;
    public const uint BindFailed = 0x0000000D;
    public const uint InvalidPassword = 0x0000000E;
    public const uint InvalidSystemId = 0x0000000F;
    public const uint MessageQueueFull = 0x00000014;
    public const uint InvalidServiceType = 0x00000015;
    public const uint SubmitFailed = 0x00000045;
    public const uint Throttled = 0x00000058;
    public const uint InvalidScheduledDeliveryTime = 0x00000061;
    public const uint InvalidValidityPeriod = 0x00000062;
    public const uint ReceiverTemporaryError = 0x00000064;
    public const uint ReceiverPermanentError = 0x00000065;
    public const uint InvalidOptionalParameterStream = 0x000000C0;
    public const uint OptionalParameterNotAllowed = 0x000000C1;
    public const uint InvalidParameterLength = 0x000000C2;
    public const uint MissingOptionalParameter = 0x000000C3;
    public const uint InvalidOptionalParameterValue = 0x000000C4;
    public const uint DeliveryFailed = 0x000000FE;
    public const uint UnknownError = 0x000000FF;

    /// <summary>The specification's constant name ("ESME_RTHROTTLED"), or the value in hex.</summary>
    public static string Name(uint status) => status switch
    {
        Ok => "ESME_ROK",
        InvalidMessageLength => "ESME_RINVMSGLEN",
        InvalidCommandLength => "ESME_RINVCMDLEN",
        InvalidCommandId => "ESME_RINVCMDID",
        IncorrectBindStatus => "ESME_RINVBNDSTS",
        AlreadyBound => "ESME_RALYBND",
        SystemError => "ESME_RSYSERR",
        InvalidSourceAddress => "ESME_RINVSRCADR",
        InvalidDestinationAddress => "ESME_RINVDSTADR",
        InvalidMessageId => "ESME_RINVMSGID",
        BindFailed => "ESME_RBINDFAIL",
        InvalidPassword => "ESME_RINVPASWD",
        InvalidSystemId => "ESME_RINVSYSID",
        MessageQueueFull => "ESME_RMSGQFUL",
        InvalidServiceType => "ESME_RINVSERTYP",
        SubmitFailed => "ESME_RSUBMITFAIL",
        Throttled => "ESME_RTHROTTLED",
        InvalidScheduledDeliveryTime => "ESME_RINVSCHED",
        InvalidValidityPeriod => "ESME_RINVEXPIRY",
        ReceiverTemporaryError => "ESME_RX_T_APPN",
        ReceiverPermanentError => "ESME_RX_P_APPN",
        InvalidOptionalParameterStream => "ESME_RINVOPTPARSTREAM",
        OptionalParameterNotAllowed => "ESME_ROPTPARNOTALLWD",
        InvalidParameterLength => "ESME_RINVPARLEN",
        MissingOptionalParameter => "ESME_RMISSINGOPTPARAM",
        InvalidOptionalParameterValue => "ESME_RINVOPTPARAMVAL",
        DeliveryFailed => "ESME_RDELIVERYFAILURE",
        UnknownError => "ESME_RUNKNOWNERR",
        _ => $"0x{status:X8}",
    };
}
