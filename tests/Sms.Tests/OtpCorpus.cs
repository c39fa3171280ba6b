using System.Runtime.CompilerServices;

namespace Pool.Sms.Tests;

/// <summary>One labelled message of the extraction corpus.</summary>
/// <param name="File">The file it comes from (for failure messages).</param>
/// <param name="Language">ISO 639-1 code; "" for the older three-column tables.</param>
/// <param name="Code">The one-time code, or "-" when the message carries none.</param>
/// <param name="Service">The sender, "-" when none is named, "*" when not judged.</param>
/// <param name="Source">Where the message's shape comes from.</param>
/// <param name="Text">The SMS text.</param>
public sealed record OtpCorpusRow(string File, string Language, string Code, string Service, string Source, string Text)
{
    public bool IsTrap => Code == "-";
}

/// <summary>
/// The labelled corpus under Otp/: the seed messages (otp-samples.tsv, three columns: code, service, text), our
/// own cases (otp-cases.tsv, the same) and otp-corpus/*.tsv (five columns: lang, code, service, source, text).
/// "\n" in a text is a line break; lines starting with '#' are comments.
/// </summary>
public static class OtpCorpus
{
    public static IReadOnlyList<OtpCorpusRow> Seed => Load("otp-samples.tsv");

    public static IReadOnlyList<OtpCorpusRow> Cases => Load("otp-cases.tsv");

    /// <summary>The multilingual corpus, every file of otp-corpus/.</summary>
    public static IReadOnlyList<OtpCorpusRow> Labelled =>
        [.. Directory.GetFiles(Path.Combine(Folder(), "otp-corpus"), "*.tsv").Order(StringComparer.Ordinal).SelectMany(f => Load(Path.Combine("otp-corpus", Path.GetFileName(f))))];

    /// <summary>Everything: seed, own cases and the multilingual corpus.</summary>
    public static IReadOnlyList<OtpCorpusRow> All => [.. Seed, .. Cases, .. Labelled];

    private static List<OtpCorpusRow> Load(string file)
    {
        var rows = new List<OtpCorpusRow>();
        var number = 0;
        foreach (var line in File.ReadLines(Path.Combine(Folder(), file)))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            var where = $"{file}:{number}";
            rows.Add(fields.Length switch
            {
                3 => new OtpCorpusRow(where, "", fields[0], fields[1], "seed", Text(fields[2])),
                5 => new OtpCorpusRow(where, fields[0], fields[1], fields[2], fields[3], Text(fields[4])),
                _ => throw new InvalidDataException($"{where}: expected 3 or 5 tab-separated fields, found {fields.Length}"),
            });
        }

        return rows;
    }

    private static string Text(string field) => field.Replace("\\n", "\n", StringComparison.Ordinal);

    private static string Folder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Otp");
}
