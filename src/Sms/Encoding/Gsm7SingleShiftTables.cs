namespace Pool.Sms.Encoding;

// The single shift tables of TS 23.038 Annex A.2, one string of 128 characters each, written 16 septet
// values to a line: the character for the septet after an escape. '\0' marks a position the table does
// not define (Gsm7NationalTables.Undefined); such a septet is shown as the character of the main table
// (§6.2.1.1). 0x1B, an escape after an escape, is decoded by Gsm7. Scripts other than Latin and Greek
// are written as \u escapes so that combining signs stay legible.
public static partial class Gsm7NationalTables
{
    // TS 23.038 Annex A.2.1: Turkish National Language Single Shift Table.
    private const string TurkishSingleShift =
        /* 0x00 */ "\0\0\0\0\0\0\0\0\0\0\f\0\0\0\0\0" +
        /* 0x10 */ "\0\0\0\0^\0\0\0\0\0\0\0\0\0\0\0" +
        /* 0x20 */ "\0\0\0\0\0\0\0\0{}\0\0\0\0\0\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|\0\0\0\0\0\0Ğ\0İ\0\0\0\0\0\0" +
        /* 0x50 */ "\0\0\0Ş\0\0\0\0\0\0\0\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0ç\0€\0ğ\0ı\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0ş\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.2: Spanish National Language Single Shift Table.
    private const string SpanishSingleShift =
        /* 0x00 */ "\0\0\0\0\0\0\0\0\0ç\f\0\0\0\0\0" +
        /* 0x10 */ "\0\0\0\0^\0\0\0\0\0\0\0\0\0\0\0" +
        /* 0x20 */ "\0\0\0\0\0\0\0\0{}\0\0\0\0\0\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|Á\0\0\0\0\0\0\0Í\0\0\0\0\0Ó" +
        /* 0x50 */ "\0\0\0\0\0Ú\0\0\0\0\0\0\0\0\0\0" +
        /* 0x60 */ "\0á\0\0\0€\0\0\0í\0\0\0\0\0ó" +
        /* 0x70 */ "\0\0\0\0\0ú\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.3: Portuguese National Language Single Shift Table.
    private const string PortugueseSingleShift =
        /* 0x00 */ "\0\0\0\0\0ê\0\0\0ç\fÔô\0Áá" +
        /* 0x10 */ "\0\0ΦΓ^ΩΠΨΣΘ\0\0\0\0\0Ê" +
        /* 0x20 */ "\0\0\0\0\0\0\0\0{}\0\0\0\0\0\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|À\0\0\0\0\0\0\0Í\0\0\0\0\0Ó" +
        /* 0x50 */ "\0\0\0\0\0Ú\0\0\0\0\0ÃÕ\0\0\0" +
        /* 0x60 */ "\0Â\0\0\0€\0\0\0í\0\0\0\0\0ó" +
        /* 0x70 */ "\0\0\0\0\0ú\0\0\0\0\0ãõ\0\0â";

    // TS 23.038 Annex A.2.4: Bengali National Language Single Shift Table.
    private const string BengaliSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u09E6\u09E7\0\u09E8\u09E9\u09EA\u09EB" +
        /* 0x20 */ "\u09EC\u09ED\u09EE\u09EF\u09DF\u09E0\u09E1\u09E2{}\u09E3\u09F2\u09F3\u09F4\u09F5\\" +
        /* 0x30 */ "\u09F6\u09F7\u09F8\u09F9\u09FA\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.5: Gujarati National Language Single Shift Table.
    private const string GujaratiSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u0964\u0965\0\u0AE6\u0AE7\u0AE8\u0AE9" +
        /* 0x20 */ "\u0AEA\u0AEB\u0AEC\u0AED\u0AEE\u0AEF\0\0{}\0\0\0\0\0\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.6: Hindi National Language Single Shift Table.
    private const string HindiSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u0964\u0965\0\u0966\u0967\u0968\u0969" +
        /* 0x20 */ "\u096A\u096B\u096C\u096D\u096E\u096F\u0951\u0952{}\u0953\u0954\u0958\u0959\u095A\\" +
        /* 0x30 */ "\u095B\u095C\u095D\u095E\u095F\u0960\u0961\u0962\u0963\u0970\u0971\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.7: Kannada National Language Single Shift Table.
    private const string KannadaSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u0964\u0965\0\u0CE6\u0CE7\u0CE8\u0CE9" +
        /* 0x20 */ "\u0CEA\u0CEB\u0CEC\u0CED\u0CEE\u0CEF\u0CDE\u0CF1{}\u0CF2\0\0\0\0\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.8: Malayalam National Language Single Shift Table.
    private const string MalayalamSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u0964\u0965\0\u0D66\u0D67\u0D68\u0D69" +
        /* 0x20 */ "\u0D6A\u0D6B\u0D6C\u0D6D\u0D6E\u0D6F\u0D70\u0D71{}\u0D72\u0D73\u0D74\u0D75\u0D7A\\" +
        /* 0x30 */ "\u0D7B\u0D7C\u0D7D\u0D7E\u0D7F\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.9: Oriya National Language Single Shift Table.
    private const string OriyaSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u0964\u0965\0\u0B66\u0B67\u0B68\u0B69" +
        /* 0x20 */ "\u0B6A\u0B6B\u0B6C\u0B6D\u0B6E\u0B6F\u0B5C\u0B5D{}\u0B5F\u0B70\u0B71\0\0\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.10: Punjabi National Language Single Shift Table.
    private const string PunjabiSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u0964\u0965\0\u0A66\u0A67\u0A68\u0A69" +
        /* 0x20 */ "\u0A6A\u0A6B\u0A6C\u0A6D\u0A6E\u0A6F\u0A59\u0A5A{}\u0A5B\u0A5C\u0A5E\u0A75\0\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.11: Tamil National Language Single Shift Table.
    private const string TamilSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u0964\u0965\0\u0BE6\u0BE7\u0BE8\u0BE9" +
        /* 0x20 */ "\u0BEA\u0BEB\u0BEC\u0BED\u0BEE\u0BEF\u0BF3\u0BF4{}\u0BF5\u0BF6\u0BF7\u0BF8\u0BFA\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.12: Telugu National Language Single Shift Table.
    private const string TeluguSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\0\0\0\u0C66\u0C67\u0C68\u0C69" +
        /* 0x20 */ "\u0C6A\u0C6B\u0C6C\u0C6D\u0C6E\u0C6F\u0C58\u0C59{}\u0C78\u0C79\u0C7A\u0C7B\u0C7C\\" +
        /* 0x30 */ "\u0C7D\u0C7E\u0C7F\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    // TS 23.038 Annex A.2.13: Urdu National Language Single Shift Table.
    private const string UrduSingleShift =
        /* 0x00 */ "@£$¥¿\"¤%&'\f*+\0-/" +
        /* 0x10 */ "<=>¡^¡_#*\u0600\u0601\0\u06F0\u06F1\u06F2\u06F3" +
        /* 0x20 */ "\u06F4\u06F5\u06F6\u06F7\u06F8\u06F9\u060C\u060D{}\u060E\u060F\u0610\u0611\u0612\\" +
        /* 0x30 */ "\u0613\u0614\u061B\u061F\u0640\u0652\u0658\u066B\u066C\u0672\u0673\u06CD[~]\u06D4" +
        /* 0x40 */ "|ABCDEFGHIJKLMNO" +
        /* 0x50 */ "PQRSTUVWXYZ\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
}
