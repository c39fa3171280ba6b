using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pool.Carriers.Smpp;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;
using Pool.Sms.Numbers;
using Pool.Sms.Smpp;

namespace Pool.Carriers;

/// <summary>
/// Hands what an SMSC delivers to the cluster, and returns only once the cluster stored it — so the
/// ESME answers ESME_ROK only for what is durable, and a failure here (the database down, a silo lost)
/// becomes ESME_RX_T_APPN and the SMSC's retry. An MO message or part is stored however much of it
/// Pool could decode or route (flagged otherwise); a status report is stored whether or not its
/// submit is known yet.
/// </summary>
public sealed partial class CarrierIntake(IGrainFactory grains, ILogger<CarrierIntake> logger)
{
    /// <summary>
    /// An SMSC may deliver an MO again (a deliver_sm_resp it never got): the same content from the same
    /// sender to the same recipient within this sliding window is one message.
    /// </summary>
    public static readonly TimeSpan MoDuplicateWindow = TimeSpan.FromMinutes(5);

    /// <summary>Stores <paramref name="delivery"/> from <paramref name="bind"/> in the cluster; throws when it could not.</summary>
    public async Task TakeAsync(SmppBind bind, SmscDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(delivery);
        var kind = "mo";
        try
        {
            switch (delivery.Pdu)
            {
                case DeliverSm pdu when DeliveryReceipts.IsReceipt(pdu):
                    kind = "report";
                    await TakeReportAsync(bind, pdu, delivery.ReceivedAt, cancellationToken);
                    break;
                case DeliverSm pdu:
                    kind = await TakeMoAsync(bind, pdu, delivery.ReceivedAt, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"{delivery.Pdu.Name} carries no message");
            }

            CarrierMetrics.Delivery(bind.Name, kind, stored: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            CarrierMetrics.Delivery(bind.Name, kind, stored: false);
            LogNotStored(logger, bind.Name, kind, Describe(ex));
            throw;
        }
    }

    private async Task<string> TakeMoAsync(SmppBind bind, DeliverSm pdu, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var flags = new List<string>();
        string? problem = null;
        string text;
        Pool.Sms.Encoding.ConcatenationInfo? concatenation = null;
        var body = pdu.ShortMessage.Length == 0 && pdu.FindTlv(TlvTag.MessagePayload) is { } payload ? payload.Value : pdu.ShortMessage;
        if (InboundMessageDecoder.TryDecode(pdu, out var decoded, out var error))
        {
            text = decoded.Text;
            concatenation = decoded.Concatenation;
        }
        else
        {
            flags.Add(InboundFlags.Undecodable);
            problem = error;
            text = Convert.ToHexString(body);
        }

        var sender = SenderOf(pdu);
        string number;
        if (SmppAddress.TryNormalize(pdu.DestinationAddr, pdu.DestAddrTon, pdu.DestAddrNpi, bind.Options.Country, out var e164, out var addressProblem))
        {
            number = e164;
        }
        else
        {
            flags.Add(InboundFlags.Unroutable);
            problem = problem is null ? addressProblem : $"{problem}; {addressProblem}";
            number = pdu.DestinationAddr;
        }

        var raw = new InboundRaw(
            "deliver_sm", pdu.DataCoding, pdu.EsmClass, body, TlvBytes(pdu), pdu.SourceAddrTon, pdu.SourceAddrNpi, pdu.DestAddrTon, pdu.DestAddrNpi,
            pdu.DestinationAddr, problem);
        var message = new Pool.Contracts.Inbound.InboundMessage(bind.Name, Digest(sender, number, raw, concatenation), sender, number, text, receivedAt)
        {
            Flags = flags,
            Raw = raw,
            DuplicateWindow = MoDuplicateWindow,
        };
        if (concatenation is { } c)
        {
            var part = new InboundPart(message, c.Reference, c.Total, c.Sequence);
            await grains.GetGrain<IConcatenationGrain>(ConcatenationKeys.Of(part)).AddPartAsync(part).WaitAsync(cancellationToken);
            return "part";
        }

        await grains.GetGrain<IInboundGrain>(0).AcceptAsync(message).WaitAsync(cancellationToken);
        return "mo";
    }

    private async Task TakeReportAsync(SmppBind bind, DeliverSm pdu, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        StatusReport report;
        if (DeliveryReceipts.TryParse(pdu, out var receipt, out _))
        {
            var delivered = receipt.State == MessageState.Delivered;
            report = new StatusReport(
                bind.Name, bind.Client.FindSubmitted(receipt.MessageId) ?? receipt.MessageId, StatusReportKind.DeliveryReceipt,
                DeliveryReceipts.TextFromState(receipt.State), Final: true, delivered,
                delivered ? null : $"{DeliveryReceipts.TextFromState(receipt.State)}{(receipt.ErrorCode is { } code ? $" (err {code})" : "")}", receivedAt);
        }
        else
        {
            // A report that names no message is still kept (unmatched), never acknowledged and dropped.
            report = new StatusReport(bind.Name, "", StatusReportKind.DeliveryReceipt, "UNKNOWN", Final: false, Delivered: false, "the report names no message id", receivedAt);
        }

        await grains.GetGrain<IOutboundReceiptGrain>(0).RecordAsync(report).WaitAsync(cancellationToken);
    }

    /// <summary>The sender as an international number when the SMSC marked it so (TON 1); otherwise as sent (an alphanumeric id, a short code).</summary>
    private static string SenderOf(DeliverSm pdu) =>
        SmppAddress.TryNormalize(pdu.SourceAddr, pdu.SourceAddrTon, pdu.SourceAddrNpi, null, out var e164, out _) ? e164 : pdu.SourceAddr;

    private static byte[] TlvBytes(ShortMessagePdu pdu)
    {
        var bytes = new List<byte>();
        foreach (var tlv in pdu.Tlvs)
        {
            bytes.Add((byte)(tlv.Tag >> 8));
            bytes.Add((byte)tlv.Tag);
            bytes.Add((byte)(tlv.Value.Length >> 8));
            bytes.Add((byte)tlv.Value.Length);
            bytes.AddRange(tlv.Value);
        }

        return [.. bytes];
    }

    /// <summary>
    /// SMPP gives an MO no id: its identity is a digest of who sent what to whom and how it was coded
    /// and numbered, with no time in it — the duplicate window slides from each arrival (see <see cref="MoDuplicateWindow"/>).
    /// </summary>
    private static string Digest(string sender, string number, InboundRaw raw, Pool.Sms.Encoding.ConcatenationInfo? part)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{sender}\n{number}\n{raw.DataCoding}\n{raw.EsmClass & ~EsmClass.MessageTypeMask}\n{part?.Reference}/{part?.Total}/{part?.Sequence}\n"));
        hash.AppendData(raw.UserData);
        return $"mo-{Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16))}";
    }

    /// <summary>What went wrong, bounded: a database or cluster fault is named as such, not as unreadable input.</summary>
    private static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message}";
        return Pool.Sms.Logging.LogRedaction.MaskNumbers(text.Length > 300 ? text[..300] + "…" : text);
    }

    [LoggerMessage(EventId = 7230, Level = LogLevel.Warning, Message = "A {Kind} from carrier connection {Connection} could not be stored in the cluster; the SMSC is told to send it again: {Reason}")]
    private static partial void LogNotStored(ILogger logger, string connection, string kind, string reason);
}
