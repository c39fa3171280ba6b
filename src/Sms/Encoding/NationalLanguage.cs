namespace Pool.Sms.Encoding;

/// <summary>
/// National language identifiers (3GPP TS 23.038 §6.2.1.2.4), as carried in the UDH national language
/// single shift (IEI 0x24) and locking shift (IEI 0x25) elements (TS 23.040 §9.2.3.24.15–16).
/// <see cref="Default"/> (0, reserved in the specification) stands for the GSM 7-bit default alphabet
/// and its default extension table.
/// </summary>
public enum NationalLanguage : byte
{
    Default = 0,
    Turkish = 1,
    Spanish = 2,
    Portuguese = 3,
    Bengali = 4,
    Gujarati = 5,
    Hindi = 6,
    Kannada = 7,
    Malayalam = 8,
    Oriya = 9,
    Punjabi = 10,
    Tamil = 11,
    Telugu = 12,
    Urdu = 13,
}

/// <summary>
/// Which tables GSM 7-bit septets are read with: the locking shift table replaces the default alphabet
/// for the whole message, the single shift table replaces the default extension table (the septet after
/// an escape). A language that defines no such table (e.g. Spanish has no locking shift table) leaves
/// the default one in place, as does an identifier the specification reserves (14 and above). The tables
/// themselves are in <see cref="Gsm7NationalTables"/>.
/// </summary>
public readonly record struct Gsm7Tables(NationalLanguage LockingShift, NationalLanguage SingleShift)
{
    /// <summary>The default alphabet and the default extension table.</summary>
    public static Gsm7Tables Default => default;
}
