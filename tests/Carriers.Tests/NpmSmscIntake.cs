using System.Threading.Channels;
using Pool.Carriers.Smpp;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;
using Pool.Sms.Smpp;
using Xunit.Sdk;

namespace Pool.Carriers.Tests;

/// <summary>
/// One delivery as the cluster would be given it: the MO message (with the content it was made from)
/// or the status report that <see cref="CarrierIntake"/> builds from the PDU.
/// </summary>
internal sealed record Intake(SmscDelivery Delivery, ShortMessageContent? Content, InboundMessage? Mo, StatusReport? Report);

/// <summary>The answers the SMSC got for one case ("deliver_sm_resp", status) and what Pool made of it.</summary>
internal sealed record CaseOutcome(string Case, IReadOnlyList<(string Command, uint Status)> Answers, IReadOnlyList<Intake> Intakes);

/// <summary>
/// One npm smpp SMSC process (interop/smsc.js) and one ESME bound to it, shared by a test class. Its
/// delivery handler does what <see cref="CarrierIntake.TakeAsync"/> does up to the cluster call — a
/// status report by esm_class goes through <see cref="CarrierIntake.ToStatusReport"/>, anything else
/// through <see cref="ShortMessageContent.Decode"/> and <see cref="CarrierIntake.ToInboundMessage"/> —
/// so a PDU Pool could not turn into what it stores is answered ESME_RX_T_APPN, as in production.
/// (<see cref="Deliveries"/> asserts that an MO has text, which would refuse every binary message.)
/// </summary>
public sealed class NpmSmscIntake : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The connection's name and country (its national numbers are read as Hong Kong's).</summary>
    public const string Connection = "npm-smsc";

    public const string Country = "HK";

    private readonly Channel<Intake> _intakes = Channel.CreateUnbounded<Intake>();
    private NodeSmsc? _smsc;
    private EsmeClient? _client;

    internal EsmeClient Client => _client ?? throw new InvalidOperationException("The fixture is not started.");

    private NodeSmsc Smsc => _smsc ?? throw new InvalidOperationException("The fixture is not started.");

    public async Task InitializeAsync()
    {
        _smsc = await NodeSmsc.StartAsync();
        _client = new EsmeClient(CarrierPair.ClientOptions(_smsc.Port)) { DeliveryHandler = TakeAsync };
        _client.Start();
        await Bounded.WaitAsync(_client.WaitUntilBoundAsync(), "the client to bind to the npm smpp SMSC");
        Assert.Equal("BOUND pool", await _smsc.NextLineAsync("the SMSC to report the bind"));
    }

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _client, null) is { } client)
        {
            await client.DisposeAsync();
        }

        if (Interlocked.Exchange(ref _smsc, null) is { } process)
        {
            await process.DisposeAsync();
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    /// <summary>
    /// Has the SMSC send case <paramref name="name"/> of interop/smsc.js and returns the status of each
    /// answer it got and what Pool handed over. Every answer is sent after its handler completed, and
    /// the SMSC reports the case sent after the last answer, so by then every intake of the case is here.
    /// Any other line from the SMSC (a new bind, an unbind, a session error) fails the test.
    /// </summary>
    internal async Task<CaseOutcome> SendAsync(string name)
    {
        await Smsc.CommandAsync($"SEND {name}");
        var answers = new List<(string, uint)>();
        while (true)
        {
            var line = await Smsc.NextLineAsync($"the npm SMSC to send case {name} and report each answer");
            if (line == $"SENT {name}")
            {
                break;
            }

            if (line.Split(' ') is ["RESP", var sent, var command, var status] && sent == name)
            {
                answers.Add((command, Convert.ToUInt32(status, 16)));
                continue;
            }

            throw new XunitException($"While sending case {name} the npm SMSC reported \"{line}\"; expected only RESP {name} … and SENT {name}");
        }

        var intakes = new List<Intake>();
        while (_intakes.Reader.TryRead(out var intake))
        {
            intakes.Add(intake);
        }

        return new CaseOutcome(name, answers, intakes);
    }

    private Task TakeAsync(SmscDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Pdu is not IMessagePdu pdu)
        {
            throw new InvalidOperationException($"{delivery.Pdu.Name} carries no message");
        }

        Intake intake;
        if (DeliveryReceipts.IsReceipt(pdu))
        {
            intake = new Intake(delivery, null, null, CarrierIntake.ToStatusReport(Connection, pdu, delivery.ReceivedAt, Client.FindSubmitted));
        }
        else
        {
            var content = ShortMessageContent.Decode(pdu);
            intake = new Intake(delivery, content, CarrierIntake.ToInboundMessage(Connection, Country, content, delivery.ReceivedAt), null);
        }

        _intakes.Writer.TryWrite(intake);
        return Task.CompletedTask;
    }
}
