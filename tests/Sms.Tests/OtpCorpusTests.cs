using System.Text.RegularExpressions;
using Pool.Sms.Otp;
using Xunit.Abstractions;

namespace Pool.Sms.Tests;

/// <summary>
/// The extraction gate over the whole labelled corpus: recall of at least 99 % and not one false code (a code
/// where there is none, or a code that is not the message's). Every miss and every false code is listed.
/// </summary>
public sealed partial class OtpCorpusTests(ITestOutputHelper output)
{
    private const double MinimumRecall = 0.99;

    /// <summary>The share of labelled services found, below which the service reading has regressed.</summary>
    private const double MinimumServiceAccuracy = 0.75;

    [Fact]
    public void Over_the_whole_corpus_recall_is_at_least_99_percent_and_no_code_is_false()
    {
        var rows = OtpCorpus.All;
        int found = 0, missed = 0, falseCodes = 0, trapsKept = 0;
        var failures = new List<string>();
        foreach (var row in rows)
        {
            var reading = OtpExtractor.Read(row.Text);
            var got = reading.Code ?? "-";
            if (row.IsTrap)
            {
                if (got == "-")
                {
                    trapsKept++;
                }
                else
                {
                    falseCodes++;
                    failures.Add($"FALSE  {row.File} [{row.Language}] gave a code where there is none ({reading.Why}): {row.Text}");
                }
            }
            else if (got == row.Code)
            {
                found++;
            }
            else if (got == "-")
            {
                missed++;
                failures.Add($"MISSED {row.File} [{row.Language}] expected {row.Code} ({reading.Why}): {row.Text}");
            }
            else
            {
                falseCodes++;
                failures.Add($"WRONG  {row.File} [{row.Language}] expected {row.Code}, got {got} ({reading.Why}): {row.Text}");
            }
        }

        var codes = rows.Count(r => !r.IsTrap);
        var recall = (double)found / codes;
        var precision = found + falseCodes == 0 ? 1 : (double)found / (found + falseCodes);
        var summary = $"{rows.Count} messages: {codes} codes, {found} found, {missed} missed, {falseCodes} false; " +
            $"{trapsKept} of {rows.Count(r => r.IsTrap)} traps kept clear; precision {precision:P2}, recall {recall:P2}";
        output.WriteLine(summary);
        failures.ForEach(output.WriteLine);
        Assert.True(recall >= MinimumRecall && falseCodes == 0, $"{summary}\n{string.Join('\n', failures)}");
    }

    [Fact]
    public void Over_the_whole_corpus_most_labelled_services_are_read()
    {
        var judged = OtpCorpus.All.Where(r => r.Service != "*").ToList();
        var wrong = judged.Where(r => (OtpExtractor.Read(r.Text).Service ?? "-") != r.Service).ToList();
        var accuracy = 1 - ((double)wrong.Count / judged.Count);
        output.WriteLine($"services: {judged.Count - wrong.Count} of {judged.Count} read as labelled ({accuracy:P1})");
        wrong.ForEach(r => output.WriteLine($"{r.File}: expected '{r.Service}', got '{OtpExtractor.Read(r.Text).Service ?? "-"}'"));
        Assert.True(accuracy >= MinimumServiceAccuracy, $"services read as labelled: {accuracy:P1}, below {MinimumServiceAccuracy:P0}");
    }

    [Fact]
    public void The_corpus_holds_400_labelled_messages_in_25_languages_with_100_traps_each_citing_its_source()
    {
        var labelled = OtpCorpus.Labelled;
        var languages = labelled.Select(r => r.Language).Distinct().ToList();
        Assert.True(labelled.Count >= 400, $"only {labelled.Count} labelled messages");
        Assert.True(languages.Count >= 25, $"only {languages.Count} languages: {string.Join(' ', languages)}");
        Assert.True(labelled.Count(r => r.IsTrap) >= 100, $"only {labelled.Count(r => r.IsTrap)} traps");
        Assert.All(labelled, row =>
        {
            Assert.Matches(LanguageCode(), row.Language);
            Assert.Matches(CodeLabel(), row.Code);
            Assert.False(string.IsNullOrWhiteSpace(row.Source), $"{row.File} cites no source");
            Assert.DoesNotContain('\t', row.Text);
        });
    }

    [Fact]
    public void The_seed_messages_and_the_own_cases_are_still_in_the_corpus()
    {
        Assert.True(OtpCorpus.Seed.Count >= 30, $"the seed table has {OtpCorpus.Seed.Count} rows");
        Assert.True(OtpCorpus.Cases.Count >= 40, $"the own table has {OtpCorpus.Cases.Count} rows");
    }

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex LanguageCode();

    [GeneratedRegex("^(-|[A-Za-z0-9]{3,10})$")]
    private static partial Regex CodeLabel();
}
