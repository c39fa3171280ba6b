using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pool.Testing;
using Xunit.Abstractions;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// A third-party client of the sms-activate protocol, unchanged: the npm package "sms-activate" (pinned in
/// tests/EndToEnd.Tests/smsactivate-client) run by flow.js against a real Pool, with only its base URL
/// pointed at Pool's HTTP port.
/// </summary>
public sealed class SmsActivateClientTests(SmsActivateFixture fixture, ITestOutputHelper output) : IClassFixture<SmsActivateFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_sms_activate_npm_client_rents_a_number_reads_its_code_and_completes()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();
        var number = "";

        var run = await RunAsync(key, async (step, line) =>
        {
            if (step == "number")
            {
                number = line.GetProperty("number").GetString()!;
            }
            else if (step == "status")
            {
                // Only after the client has read the status of a lease without an SMS: then it polls for the code.
                await fixture.DeliverSmsAsync("+" + number, "Telegram code: 62718. Do not give this code to anyone.");
            }
        });

        Assert.True(run.Exit == 0, $"flow.js should exit 0 after the whole flow.\n{run}");
        Assert.Equal(["balance", "number", "ready", "status", "code", "complete", "final"], run.Steps.Select(s => s.GetProperty("step").GetString()));
        Assert.Equal(0, run.Steps[0].GetProperty("balance").GetInt32());
        Assert.True(run.Steps[1].GetProperty("id").GetInt64() > 0, "the client parses a positive integer activation id");
        Assert.Matches("^852[0-9]{8}$", run.Steps[1].GetProperty("number").GetString());
        Assert.Equal("ACCESS_READY", run.Steps[2].GetProperty("answer").GetString());
        Assert.Equal("STATUS_WAIT_CODE", run.Steps[3].GetProperty("status").GetString());
        Assert.Equal("62718", run.Steps[4].GetProperty("code").GetString());
        Assert.Equal("ACCESS_ACTIVATION", run.Steps[5].GetProperty("answer").GetString());
        Assert.Equal("STATUS_OK", run.Steps[6].GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_sms_activate_npm_client_reports_a_bad_key_as_its_invalid_key_error()
    {
        var run = await RunAsync("pool_000000000000_not-a-real-key", (_, _) => Task.CompletedTask);

        Assert.True(run.Exit == 1, $"flow.js should exit 1 when its key is refused.\n{run}");
        var step = Assert.Single(run.Steps);
        Assert.Equal("error", step.GetProperty("step").GetString());
        Assert.Equal("InvalidAPIKey", step.GetProperty("name").GetString());
    }

    /// <summary>Runs <c>node flow.js</c>, handing each JSON line to <paramref name="onStep"/> as it arrives.</summary>
    private async Task<ClientRun> RunAsync(string apiKey, Func<string, JsonElement, Task> onStep)
    {
        var directory = Path.Combine(Repository.Root, "tests", "EndToEnd.Tests", "smsactivate-client");
        Assert.True(
            Directory.Exists(Path.Combine(directory, "node_modules", "sms-activate")),
            "tests/EndToEnd.Tests/smsactivate-client/node_modules is missing: run `npm ci --prefix tests/EndToEnd.Tests/smsactivate-client` (scripts/test.sh does) before these tests.");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("flow.js");
        start.Environment["POOL_HTTP_ADDRESS"] = fixture.Pool.HttpAddress;
        start.Environment["POOL_API_KEY"] = apiKey;
        start.Environment["SMSACTIVATE_SERVICE"] = "tg";
        start.Environment["SMSACTIVATE_COUNTRY"] = "14";

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"Node.js (`node`) was not found ({ex.Message}): install Node.js 18 or later (scripts/test.sh does).");
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(s_timeout);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            var steps = new List<JsonElement>();
            var lines = new StringBuilder();
            try
            {
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    lines.AppendLine(line);
                    if (line.Trim().Length == 0)
                    {
                        continue;
                    }

                    var step = JsonSerializer.Deserialize<JsonElement>(line);
                    steps.Add(step);
                    await onStep(step.GetProperty("step").GetString()!, step);
                }

                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"node flow.js should finish within {s_timeout.TotalSeconds:0} s; it was killed.\nstdout:\n{lines}");
            }

            var errors = await stderr;
            output.WriteLine($"exit code {process.ExitCode}\n{lines}{errors}");
            return new ClientRun(process.ExitCode, steps, lines.ToString(), errors);
        }
    }

    private sealed record ClientRun(int Exit, List<JsonElement> Steps, string Out, string Err)
    {
        public override string ToString() => $"exit code: {Exit}\nstdout:\n{Out}stderr:\n{Err}";
    }
}
