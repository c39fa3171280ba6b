using System.Runtime.CompilerServices;
using Pool.Sms.Otp;

namespace Pool.Sms.Tests;

public sealed class OtpExtractorTests
{
    /// <summary>The seed corpus: real verification SMS from public receive-SMS pages (a copy of shared/corpus/otp-samples.tsv).</summary>
    public static TheoryData<string, string, string> Corpus() => Table("otp-samples.tsv");

    /// <summary>Our own cases, per language and per trap.</summary>
    public static TheoryData<string, string, string> Cases() => Table("otp-cases.tsv");

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Every_seed_message_gives_its_code_and_service(string text, string code, string service) =>
        AssertExtracts(text, code, service);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Codes_and_services_are_found_in_every_language_and_traps_are_never_taken(string text, string code, string service) =>
        AssertExtracts(text, code, service);

    [Fact]
    public void The_own_table_covers_at_least_forty_cases() =>
        Assert.True(Cases().Count >= 40, $"only {Cases().Count} own cases");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("会议改到下午三点")]
    public void A_message_with_neither_code_nor_service_gives_no_match(string? text) =>
        Assert.Null(OtpExtractor.Extract(text));

    [Fact]
    public void Full_width_digits_are_read_as_digits() =>
        Assert.Equal("123456", OtpExtractor.Extract("【测试】验证码：１２３４５６")?.Code);

    private static void AssertExtracts(string text, string code, string service)
    {
        var match = OtpExtractor.Extract(text);
        Assert.True(
            (match?.Code ?? "-") == code && (match?.Service ?? "-") == service,
            $"expected code '{code}' and service '{service}', got code '{match?.Code ?? "-"}' and service '{match?.Service ?? "-"}' from: {text}");
    }

    private static TheoryData<string, string, string> Table(string file, [CallerFilePath] string source = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(source)!, "Otp", file);
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t', 3);
            Assert.True(fields.Length == 3, $"{file}: '{line}' is not code<TAB>service<TAB>text");
            data.Add(fields[2].Replace("\\n", "\n", StringComparison.Ordinal), fields[0], fields[1]);
        }

        return data;
    }
}
