namespace Pool.Sms.Encoding;

/// <summary>The character set (or the absence of one) a data coding scheme names for the user data.</summary>
public enum Charset
{
    /// <summary>GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1), with national tables when the UDH selects them.</summary>
    Gsm7,

    /// <summary>IA5 (CCITT T.50) / ASCII (ANSI X3.4); SMPP 3.4 data_coding 0x01.</summary>
    Ascii,

    /// <summary>ISO-8859-1; SMPP 3.4 data_coding 0x03.</summary>
    Latin1,

    /// <summary>8-bit data with no character set (SMPP 0x02, 0x04; TS 23.038 "8 bit data"): binary, not text.</summary>
    Octet,

    /// <summary>UCS-2 (ISO/IEC 10646), read as UTF-16 big-endian; SMPP 0x08, TS 23.038 "UCS2 (16 bit)".</summary>
    Ucs2,

    /// <summary>ISO-8859-5; SMPP 3.4 data_coding 0x06.</summary>
    Cyrillic,

    /// <summary>ISO-8859-8; SMPP 3.4 data_coding 0x07.</summary>
    LatinHebrew,

    /// <summary>JIS X 0208-1990; SMPP 3.4 data_coding 0x05.</summary>
    Jis,

    /// <summary>ISO-2022-JP (music codes); SMPP 3.4 data_coding 0x0A.</summary>
    Iso2022Jp,

    /// <summary>Extended Kanji JIS, JIS X 0212-1990; SMPP 3.4 data_coding 0x0D.</summary>
    ExtendedKanjiJis,

    /// <summary>KS C 5601; SMPP 3.4 data_coding 0x0E.</summary>
    KsC5601,

    /// <summary>Pictogram encoding; SMPP 3.4 data_coding 0x09 (no public character map).</summary>
    Pictogram,

    /// <summary>A value both specifications reserve; TS 23.038 §4 says a receiver assumes the GSM 7-bit default alphabet.</summary>
    Reserved,
}

/// <summary>What a message waiting indication (TS 23.038 §4, coding groups 1100–1110, bits 1–0) signals.</summary>
public enum MessageWaitingKind
{
    Voicemail = 0,
    Fax = 1,
    Email = 2,
    Other = 3,
}

/// <summary>
/// A message waiting indication (TS 23.038 §4, coding groups 1100–1110): whether it sets
/// (<see cref="Active"/>, bit 3) or clears the indicator, of which <see cref="Kind"/>, and whether the
/// handset may discard the text (group 1100) or should store it (1101, 1110).
/// </summary>
public sealed record MessageWaiting(bool Active, MessageWaitingKind Kind, bool Store);

/// <summary>
/// An SMPP data_coding octet read as a data coding scheme. SMPP 3.4 §5.2.19 defines 0x00–0x0F itself
/// (0x0B, 0x0C and 0x0F reserved); 0x10–0xFF follow the coding groups of 3GPP TS 23.038 §4. Parsing is
/// total: every one of the 256 values gives a scheme, a reserved one with <see cref="IsReserved"/> set.
/// </summary>
/// <param name="DataCoding">The octet as it came.</param>
/// <param name="Charset">How the user data is to be read.</param>
/// <param name="MessageClass">The message class 0–3 (0 is "flash", shown at once), or null when the value gives none.</param>
/// <param name="Compressed">The user data is compressed (TS 23.042; TS 23.038 §4 general data coding bit 5).</param>
/// <param name="AutomaticDeletion">Coding group 01xx: the handset deletes the message once read.</param>
/// <param name="MessageWaiting">The message waiting indication of groups 1100–1110, otherwise null.</param>
/// <param name="IsReserved">The value (or its alphabet) is reserved by the specifications.</param>
public sealed record DataCodingScheme(
    byte DataCoding,
    Charset Charset,
    int? MessageClass,
    bool Compressed,
    bool AutomaticDeletion,
    MessageWaiting? MessageWaiting,
    bool IsReserved)
{
    private static readonly DataCodingScheme[] s_all = Enumerable.Range(0, 256).Select(value => Build((byte)value)).ToArray();

    /// <summary>Whether the user data is 8-bit data rather than text.</summary>
    public bool IsBinary => Charset == Charset.Octet;

    /// <summary>The scheme of <paramref name="dataCoding"/>; never fails (see the type's summary).</summary>
    public static DataCodingScheme Parse(byte dataCoding) => s_all[dataCoding];

    private static DataCodingScheme Build(byte value)
    {
        if (value < 0x10)
        {
            return Smpp(value);
        }

        var group = value >> 4;
        return group switch
        {
            // 00xx general data coding, 01xx the same with automatic deletion: bit 5 compressed,
            // bit 4 "bits 1-0 are a message class", bits 3-2 the alphabet.
            <= 0b0111 => General(value, automaticDeletion: group >= 0b0100),

            // 1000..1011 reserved coding groups.
            <= 0b1011 => new(value, Charset.Reserved, null, false, false, null, IsReserved: true),

            // 1100 discard / 1101 store: GSM 7-bit; 1110 store: UCS2. Bit 3 sets the indication, bit 2 is
            // reserved, bits 1-0 the kind.
            <= 0b1110 => new(
                value,
                group == 0b1110 ? Charset.Ucs2 : Charset.Gsm7,
                null,
                false,
                false,
                new MessageWaiting((value & 0x08) != 0, (MessageWaitingKind)(value & 0x03), Store: group != 0b1100),
                IsReserved: false),

            // 1111 data coding / message class: bit 3 reserved, bit 2 GSM 7-bit or 8-bit data, bits 1-0 the class.
            _ => new(value, (value & 0x04) == 0 ? Charset.Gsm7 : Charset.Octet, value & 0x03, false, false, null, IsReserved: false),
        };
    }

    private static DataCodingScheme Smpp(byte value)
    {
        var charset = value switch
        {
            0x00 => Charset.Gsm7,
            0x01 => Charset.Ascii,
            0x02 or 0x04 => Charset.Octet,
            0x03 => Charset.Latin1,
            0x05 => Charset.Jis,
            0x06 => Charset.Cyrillic,
            0x07 => Charset.LatinHebrew,
            0x08 => Charset.Ucs2,
            0x09 => Charset.Pictogram,
            0x0A => Charset.Iso2022Jp,
            0x0D => Charset.ExtendedKanjiJis,
            0x0E => Charset.KsC5601,
            _ => Charset.Reserved,
        };
        return new(value, charset, null, false, false, null, IsReserved: charset == Charset.Reserved);
    }

    private static DataCodingScheme General(byte value, bool automaticDeletion)
    {
        var charset = ((value >> 2) & 0x03) switch
        {
            0b00 => Charset.Gsm7,
            0b01 => Charset.Octet,
            0b10 => Charset.Ucs2,
            _ => Charset.Reserved,
        };
        int? messageClass = (value & 0x10) != 0 ? value & 0x03 : null;
        return new(value, charset, messageClass, (value & 0x20) != 0, automaticDeletion, null, IsReserved: charset == Charset.Reserved);
    }
}
