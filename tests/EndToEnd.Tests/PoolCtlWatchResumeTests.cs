using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Pool.Carriers.Http;
using Pool.Cli;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl watch --all through Pool.Client's resumable watch: it goes on across a kill and restart of Pool, then gives up on a Pool that stays away.</summary>
public sealed class PoolCtlWatchResumeTests
{
    private const string Carrier = "sim";
    private const string CarrierSecret = "poolctl-watch-carrier-secret-0123456789";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Watch_all_prints_every_message_once_across_a_restart_of_Pool_and_ends_unavailable_when_Pool_stays_away()
    {
        await using var database = await TestDatabase.CreateAsync();
        var ports = FreePorts.Take(4);
        var settings = new Dictionary<string, string> { [$"Pool:Carriers:{Carrier}:Secret"] = CarrierSecret };
        var http = $"http://127.0.0.1:{ports[3]}";
        var first = await SiloProcess.StartAsync(database, ports, settings);
        SiloProcess? second = null;
        try
        {
            string key, number;
            using (var admin = new Client.PoolClient(first.GrpcAddress, first.AdminKey))
            {
                await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = "ctlwatch", Name = "Watch Ltd" });
                key = (await admin.Tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "ctlwatch" })).Secret;
                await admin.Numbers.AddNumbersAsync(new AddNumbersRequest { Pool = "ctlwatch", Country = "HK", Numbers = { "+85251660001" } });
                using var tenant = new Client.PoolClient(first.GrpcAddress, key);
                number = (await tenant.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = "ctlwatch", Service = "telegram" })).Number;
            }

            var output = new LinesWriter();
            using var error = new StringWriter();
            var watching = PoolCtl.RunAsync(["--api", first.GrpcAddress, "--api-key", key, "--json", "watch", "--all"], output, error, input: TextReader.Null, environment: _ => null);
            for (var i = 1; i <= 2; i++)
            {
                await SendAsync(http, $"ctl-before-{i}", number, $"Your Telegram code is 4400{i}");
            }

            await Eventually.ReturnsAsync(() => Task.FromResult(output.Lines.Count), n => n >= 2, s_wait, "poolctl to print the two messages sent before the restart");
            first.Kill();
            second = await SiloProcess.StartAsync(database, ports, settings);
            for (var i = 1; i <= 2; i++)
            {
                await SendAsync(http, $"ctl-after-{i}", number, $"Your Telegram code is 5500{i}");
            }

            await Eventually.ReturnsAsync(() => Task.FromResult(output.Lines.Count), n => n >= 4, s_wait, "poolctl to print the two messages sent after the restart");
            second.Dispose();
            second = null;
            var exit = await watching.WaitAsync(TimeSpan.FromMinutes(3)); // poolctl gives a watch a minute to get its stream back

            var messages = output.Lines.Select(line => JsonParser.Default.Parse<Message>(line)).ToList();
            Assert.Equal(["44001", "44002", "55001", "55002"], messages.Select(m => m.Code));
            Assert.True(messages.Zip(messages.Skip(1)).All(p => p.First.Cursor < p.Second.Cursor), "printed in cursor order");
            Assert.Equal(ExitCodes.Unavailable, exit);
            Assert.Contains("cannot reach the Pool API", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    private static async Task SendAsync(string httpAddress, string id, string to, string text)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message_id"] = id, ["from"] = "Telegram", ["to"] = to, ["text"] = text, ["encoding"] = "text" });
        using var http = new HttpClient();
        using var request = CarrierSignature.SignedPost(new Uri($"{httpAddress}/carriers/{Carrier}/messages"), CarrierSecret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Standard output as complete lines, safe to read while poolctl is still writing.</summary>
    private sealed class LinesWriter : TextWriter
    {
        private readonly StringBuilder _current = new();
        private readonly List<string> _lines = [];

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public override void Write(char value)
        {
            lock (_lines)
            {
                if (value == '\n')
                {
                    _lines.Add(_current.ToString().TrimEnd('\r'));
                    _current.Clear();
                }
                else
                {
                    _current.Append(value);
                }
            }
        }
    }
}
