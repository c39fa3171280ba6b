using System.Text.Json;
using Pool.Cli;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl otp extract: offline, so no Pool, no fixture and no API key.</summary>
public sealed class PoolCtlOtpTests
{
    private static readonly Func<string, string?> s_noEnvironment = _ => null;

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args, string? standardInput = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(standardInput ?? "");
        var exit = await PoolCtl.RunAsync(args, output, error, input: input, environment: s_noEnvironment);
        return (exit, output.ToString(), error.ToString());
    }

    private static (string? Code, string? Service) Parse(string line)
    {
        var (code, service, _) = ParseWithWhy(line);
        return (code, service);
    }

    /// <summary>One answer: exactly code, service and why, in that order, the why always a non-empty string.</summary>
    private static (string? Code, string? Service, string Why) ParseWithWhy(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.Equal(["code", "service", "why"], root.EnumerateObject().Select(p => p.Name).ToArray());
        var why = root.GetProperty("why").GetString();
        Assert.False(string.IsNullOrWhiteSpace(why), $"no why in {line}");
        return (root.GetProperty("code").GetString(), root.GetProperty("service").GetString(), why);
    }

    [Fact]
    public async Task Extract_prints_the_code_and_service_as_a_table_without_a_server_or_key()
    {
        var (exit, output, error) = await RunAsync(["otp", "extract", "--text", "【京东】您的验证码是 825959。如非本人操作,请忽略本短信。"]);

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {error}");
        Assert.Contains("825959", output, StringComparison.Ordinal);
        Assert.Contains("京东", output, StringComparison.Ordinal);
        Assert.Contains("why", output, StringComparison.Ordinal);
        Assert.Contains("'验证码'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_with_json_prints_one_object_with_code_and_service()
    {
        var (exit, output, error) = await RunAsync(["otp", "extract", "--text", "G-482910 is your Google verification code.", "--json"]);

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {error}");
        Assert.Equal(("482910", "Google"), Parse(output.Trim()));
    }

    [Fact]
    public async Task A_message_without_a_code_gives_null_code_and_service_in_json()
    {
        var (exit, output, _) = await RunAsync(["otp", "extract", "--json", "--text", "See you at the meeting tomorrow"]);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal(((string?)null, (string?)null), Parse(output.Trim()));
    }

    [Fact]
    public async Task Json_says_why_a_code_was_taken_without_repeating_the_code()
    {
        var (exit, output, error) = await RunAsync(["otp", "extract", "--text", "Your Telegram code is 12345", "--json"]);

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {error}");
        var (code, service, why) = ParseWithWhy(output.Trim());
        Assert.Equal(("12345", "Telegram"), (code, service));
        Assert.Contains("'code'", why, StringComparison.Ordinal);
        Assert.DoesNotContain("12345", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_says_why_no_code_was_taken()
    {
        var (exit, output, error) = await RunAsync(["otp", "extract", "--json", "--text", "See you at the meeting tomorrow"]);

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {error}");
        Assert.StartsWith("no code", ParseWithWhy(output.Trim()).Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_table_has_a_why_row()
    {
        var (exit, output, error) = await RunAsync(["otp", "extract", "--text", "See you at the meeting tomorrow"]);

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {error}");
        Assert.Contains(output.Split('\n'), line => line.Contains("why", StringComparison.Ordinal) && line.Contains("no code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_mode_answers_every_line_in_order()
    {
        var input = """
            {"text": "【支付宝】验证码:601769 。您正在使用登录功能"}
            {"text": "Your WhatsApp code: 839-201"}
            {"text": "no code here"}
            """;

        var (exit, output, error) = await RunAsync(["otp", "extract", "--jsonl"], input);

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [("601769", "支付宝"), ("839201", "WhatsApp"), (null, null)],
            lines.Select(Parse).ToArray());
    }

    [Fact]
    public async Task Batch_mode_gives_every_answer_a_why()
    {
        var input = """
            {"text": "Your Telegram code is 12345"}
            {"text": "no code here"}
            """;

        var (exit, output, error) = await RunAsync(["otp", "extract", "--jsonl"], input);

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {error}");
        var answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseWithWhy).ToArray();
        Assert.Equal(2, answers.Length);
        Assert.Equal("12345", answers[0].Code);
        Assert.Contains("'code'", answers[0].Why, StringComparison.Ordinal);
        Assert.Null(answers[1].Code);
        Assert.StartsWith("no code", answers[1].Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_batch_line_gives_an_error_line_naming_it_and_the_rest_still_run_then_exit_2()
    {
        var input = "{\"text\": \"验证码:1308\"}\nnot json\n[1, 2]\n{\"text\": \"Your code is 7788\"}\n";

        var (exit, output, _) = await RunAsync(["otp", "extract", "--jsonl"], input);

        Assert.Equal(ExitCodes.Usage, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("1308", Parse(lines[0]).Code);
        Assert.StartsWith("line 2: ", JsonDocument.Parse(lines[1]).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("line 3: ", JsonDocument.Parse(lines[2]).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("7788", Parse(lines[3]).Code);
    }

    [Theory]
    [InlineData]
    [InlineData("--text", "code 1234", "--jsonl")]
    public async Task Extract_needs_exactly_one_of_text_or_jsonl(params string[] options)
    {
        var (exit, _, error) = await RunAsync(["otp", "extract", .. options]);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("exactly one of --text", error, StringComparison.Ordinal);
    }
}
