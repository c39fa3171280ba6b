using System.Diagnostics.CodeAnalysis;

namespace Pool.Sms.Encoding;

/// <summary>
/// The national language tables of 3GPP TS 23.038 Annex A: the locking shift tables (A.3), which replace
/// the GSM 7-bit default alphabet for a whole message, and the single shift tables (A.2), which replace
/// the default extension table for the septet after an escape (§6.2.1.2).
/// </summary>
/// <remarks>
/// Every table is a string of exactly <see cref="TableLength"/> characters indexed by septet value.
/// A position the table does not define holds <see cref="Undefined"/>. A locking shift table holds the
/// escape (U+001B) at 0x1B, as the default alphabet does. In a single shift table 0x1B is undefined: an
/// escape after an escape is reserved for a further extension table (§6.2.1.1) and is decoded by
/// <see cref="Gsm7"/>, not looked up.
/// Spanish has no locking shift table (A.3.2 is void); every other language has both kinds.
/// </remarks>
public static partial class Gsm7NationalTables
{
    /// <summary>The number of positions in every table: one per septet value, 0x00 to 0x7F.</summary>
    public const int TableLength = 128;

    /// <summary>
    /// The character a table holds at a position it does not define. U+0000 is no character of any
    /// TS 23.038 table, so it cannot be mistaken for one.
    /// </summary>
    public const char Undefined = '\0';

    /// <summary>
    /// The locking shift table of <paramref name="language"/> (TS 23.038 Annex A.3), if the specification
    /// defines one. There is none for <see cref="NationalLanguage.Default"/> (the default alphabet is used),
    /// for Spanish, or for a reserved identifier.
    /// </summary>
    public static bool TryGetLockingShiftTable(NationalLanguage language, [NotNullWhen(true)] out string? table)
    {
        table = language switch
        {
            NationalLanguage.Turkish => TurkishLockingShift,
            NationalLanguage.Portuguese => PortugueseLockingShift,
            NationalLanguage.Bengali => BengaliLockingShift,
            NationalLanguage.Gujarati => GujaratiLockingShift,
            NationalLanguage.Hindi => HindiLockingShift,
            NationalLanguage.Kannada => KannadaLockingShift,
            NationalLanguage.Malayalam => MalayalamLockingShift,
            NationalLanguage.Oriya => OriyaLockingShift,
            NationalLanguage.Punjabi => PunjabiLockingShift,
            NationalLanguage.Tamil => TamilLockingShift,
            NationalLanguage.Telugu => TeluguLockingShift,
            NationalLanguage.Urdu => UrduLockingShift,
            _ => null,
        };
        return table is not null;
    }

    /// <summary>
    /// The single shift table of <paramref name="language"/> (TS 23.038 Annex A.2), if the specification
    /// defines one. There is none for <see cref="NationalLanguage.Default"/> (the default extension table is
    /// used) or for a reserved identifier.
    /// </summary>
    public static bool TryGetSingleShiftTable(NationalLanguage language, [NotNullWhen(true)] out string? table)
    {
        table = language switch
        {
            NationalLanguage.Turkish => TurkishSingleShift,
            NationalLanguage.Spanish => SpanishSingleShift,
            NationalLanguage.Portuguese => PortugueseSingleShift,
            NationalLanguage.Bengali => BengaliSingleShift,
            NationalLanguage.Gujarati => GujaratiSingleShift,
            NationalLanguage.Hindi => HindiSingleShift,
            NationalLanguage.Kannada => KannadaSingleShift,
            NationalLanguage.Malayalam => MalayalamSingleShift,
            NationalLanguage.Oriya => OriyaSingleShift,
            NationalLanguage.Punjabi => PunjabiSingleShift,
            NationalLanguage.Tamil => TamilSingleShift,
            NationalLanguage.Telugu => TeluguSingleShift,
            NationalLanguage.Urdu => UrduSingleShift,
            _ => null,
        };
        return table is not null;
    }
}
