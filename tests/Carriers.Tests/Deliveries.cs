using System.Threading.Channels;
using Pool.Carriers.Smpp;
using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Tests;

/// <summary>An MO deliver_sm as a test reads it: addresses as sent, the decoded text and the part numbering.</summary>
internal sealed record ReceivedMo(string Sender, string Recipient, string Text, ConcatenationInfo? Concatenation, DeliverSm Pdu);

/// <summary>
/// Takes every delivery of an <see cref="EsmeClient"/> (as a durable owner would: the SMSC is answered
/// when <see cref="Handle"/> returns) and lets a test read them in order, MO messages and receipts apart.
/// </summary>
internal sealed class Deliveries
{
    private readonly Channel<ReceivedMo> _mo = Channel.CreateUnbounded<ReceivedMo>();
    private readonly Channel<(DeliveryReceipt Receipt, string? Submitted)> _receipts = Channel.CreateUnbounded<(DeliveryReceipt, string?)>();

    private Deliveries(EsmeClient client)
    {
        client.DeliveryHandler = Handle;
        Client = client;
    }

    public EsmeClient Client { get; }

    /// <summary>Every delivery handed over, in arrival order.</summary>
    public List<SmscDelivery> All { get; } = [];

    public static Deliveries Attach(EsmeClient client) => new(client);

    public Task<ReceivedMo> NextMoAsync(string expected) => Bounded.ReadAsync(_mo.Reader, expected);

    public Task<(DeliveryReceipt Receipt, string? Submitted)> NextReceiptAsync(string expected) => Bounded.ReadAsync(_receipts.Reader, expected);

    public bool TryReadMo(out ReceivedMo? mo) => _mo.Reader.TryRead(out mo);

    private Task Handle(SmscDelivery delivery, CancellationToken cancellationToken)
    {
        lock (All)
        {
            All.Add(delivery);
        }

        if (delivery.Pdu is DeliverSm pdu)
        {
            if (DeliveryReceipts.IsReceipt(pdu))
            {
                Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out var error), error);
                _receipts.Writer.TryWrite((receipt, Client.FindSubmitted(receipt.MessageId)));
            }
            else
            {
                var content = ShortMessageContent.Decode(pdu);
                Assert.True(content.Text is not null, content.Problem);
                _mo.Writer.TryWrite(new ReceivedMo(content.Sender.Address, content.Recipient.Address, content.Text, content.Concatenation, pdu));
            }
        }

        return Task.CompletedTask;
    }
}
