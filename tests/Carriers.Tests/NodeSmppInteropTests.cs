using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Pool.Carriers.Smpp;
using Pool.Contracts.Routes;
using Pool.Sms.Smpp;
using Xunit.Sdk;

namespace Pool.Carriers.Tests;

/// <summary>
/// Pool's ESME against an SMSC we did not write: the npm "smpp" package (interop/smsc.js), installed
/// by <c>npm ci --prefix tests/Carriers.Tests/interop</c> (scripts/test.sh does it).
/// </summary>
public sealed class NodeSmppInteropTests
{
    private const string Phone = "+85251234567";

    [Fact]
    public async Task The_client_binds_submits_and_receives_a_receipt_and_ucs2_and_concatenated_mo_from_the_npm_smpp_smsc()
    {
        await using var smsc = await NodeSmsc.StartAsync();
        var options = CarrierPair.ClientOptions(smsc.Port);
        await using var client = new EsmeClient(options);
        var deliveries = Deliveries.Attach(client);
        client.Start();
        await Bounded.WaitAsync(client.WaitUntilBoundAsync(), "the client to bind to the npm smpp SMSC");
        Assert.Equal("BOUND pool", await smsc.NextLineAsync("the SMSC to report the bind"));

        var result = await client.SubmitAsync(new OutboundSms(Phone, "Your Pool code is 482913 @home", "test"), "PoolOTP");

        Assert.True(result.Succeeded, $"the npm SMSC should accept the submit; got {result.Outcome} {result.StatusName}");
        var id = Assert.Single(result.MessageIds);
        var submitted = (await smsc.NextLineAsync("the SMSC to report the submit")).Split(' ', 4);
        Assert.Equal(("SUBMIT", id, "85251234567"), (submitted[0], submitted[1], submitted[2]));
        Assert.Equal("Your Pool code is 482913 @home", JsonSerializer.Deserialize<string>(submitted[3]));

        var (receipt, submittedId) = await deliveries.NextReceiptAsync("a delivery receipt from the npm SMSC");
        Assert.Equal(id, receipt.MessageId);
        Assert.Equal(id, submittedId);
        Assert.Equal(MessageState.Delivered, receipt.State);

        var ucs2 = await deliveries.NextMoAsync("the UCS-2 MO from the npm SMSC");
        Assert.Equal(("8613800138000", "85251234567", "您的验证码是 482913，请勿泄露"), (ucs2.Sender, ucs2.Recipient, ucs2.Text));

        var first = await deliveries.NextMoAsync("the first part of the concatenated MO from the npm SMSC");
        var second = await deliveries.NextMoAsync("the second part of the concatenated MO from the npm SMSC");
        var parts = new[] { first, second }.OrderBy(p => p.Concatenation!.Sequence).ToList();
        Assert.Equal("Your Pool verification code is 482913. It expires in ten minutes.", string.Concat(parts.Select(p => p.Text)));
        Assert.Equal((2, "447911123456"), (parts[0].Concatenation!.Total, parts[0].Sender));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("DELIVER_SM_RESP 0", await smsc.NextLineAsync("the SMSC to report each deliver_sm_resp"));
        }

        await client.StopAsync();
        Assert.Equal("UNBOUND", await smsc.NextLineAsync("the SMSC to report the unbind"));
    }

    /// <summary>interop/smsc.js under node; its stdout lines are the SMSC's report. Ends when its stdin closes.</summary>
    private sealed class NodeSmsc : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        private NodeSmsc(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    _lines.Writer.TryWrite(line);
                }
                else
                {
                    _lines.Writer.TryComplete();
                }
            };
        }

        public int Port { get; private set; }

        public static async Task<NodeSmsc> StartAsync()
        {
            var folder = InteropFolder();
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "smpp")))
            {
                throw new XunitException($"The npm smpp package is not installed: run `npm ci --prefix {folder}` (scripts/test.sh does).");
            }

            var start = new ProcessStartInfo("node", "smsc.js")
            {
                WorkingDirectory = folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new XunitException("node could not be started");
            var smsc = new NodeSmsc(process);
            process.BeginOutputReadLine();
            var listening = await smsc.NextLineAsync("the npm smpp SMSC to listen");
            Assert.StartsWith("LISTENING ", listening, StringComparison.Ordinal);
            smsc.Port = int.Parse(listening["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return smsc;
        }

        public Task<string> NextLineAsync(string expected) => Bounded.ReadAsync(_lines.Reader, expected);

        public async ValueTask DisposeAsync()
        {
            // Closing stdin ends the script; kill it only if it does not go.
            _process.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private static string InteropFolder()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "Carriers.Tests", "interop");
                if (File.Exists(Path.Combine(candidate, "smsc.js")))
                {
                    return candidate;
                }
            }

            throw new XunitException($"tests/Carriers.Tests/interop/smsc.js not found above {AppContext.BaseDirectory}");
        }
    }
}
