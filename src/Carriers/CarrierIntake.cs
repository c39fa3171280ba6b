using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pool.Carriers.Smpp;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;
using Pool.Contracts.Tracing;
using Pool.Sms.Encoding;
using Pool.Sms.Numbers;
using Pool.Sms.Smpp;

namespace Pool.Carriers;

/// <summary>
/// Hands what an SMSC delivers (deliver_sm or data_sm) to the cluster, and returns only once the
/// cluster stored it — so the ESME answers ESME_ROK only for what is durable, and a failure here (the
/// database down, a silo lost) becomes ESME_RX_T_APPN and the SMSC's retry. An MO message or part is
/// stored however much of it Pool could decode or route (flagged otherwise); a status report is stored
/// whether or not its submit is known yet.
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
        // SMPP carries no trace context: a delivery starts its own trace.
        using var span = PoolActivity.Source.StartActivity(PoolActivity.InboundReceive, System.Diagnostics.ActivityKind.Server);
        span?.SetTag(PoolActivity.CarrierTag, bind.Name).SetTag(PoolActivity.ChannelTag, "smpp").SetTag("smpp.command", delivery.Pdu.Name);
        try
        {
            if (delivery.Pdu is not IMessagePdu pdu)
            {
                throw new InvalidOperationException($"{delivery.Pdu.Name} carries no message");
            }

            if (DeliveryReceipts.IsReceipt(pdu))
            {
                kind = "report";
                var report = ToStatusReport(bind.Name, pdu, delivery.ReceivedAt, bind.Client.FindSubmitted);
                await grains.GetGrain<IOutboundReceiptGrain>(0).RecordAsync(report).WaitAsync(cancellationToken);
            }
            else
            {
                kind = await TakeMoAsync(bind, ShortMessageContent.Decode(pdu), delivery.ReceivedAt, cancellationToken);
            }

            CarrierMetrics.Delivery(bind.Name, kind, stored: true);
            span?.SetTag(PoolActivity.KindTag, kind);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            CarrierMetrics.Delivery(bind.Name, kind, stored: false);
            span?.SetTag(PoolActivity.KindTag, kind).SetStatus(System.Diagnostics.ActivityStatusCode.Error, Describe(ex));
            LogNotStored(logger, bind.Name, kind, Describe(ex));
            throw;
        }
    }

    /// <summary>
    /// The message as Pool stores it: the decoded text (the hex of the user data when there is none: 8-bit
    /// data, compressed or undecodable), the recipient normalised to E.164 by its TON/NPI and the
    /// connection's <paramref name="country"/> (kept as sent and flagged <c>unroutable</c> when it is not a
    /// number), the sender international when the SMSC marked it so (TON 1), and the raw fields.
    /// </summary>
    public static InboundMessage ToInboundMessage(string connection, string? country, ShortMessageContent content, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(content);
        var flags = new List<string>(content.Flags);
        var problem = content.Problem;
        string number;
        if (SmppAddress.TryNormalize(content.Recipient.Address, content.Recipient.Ton, content.Recipient.Npi, country, out var e164, out var addressProblem))
        {
            number = e164;
        }
        else
        {
            flags.Add(InboundFlags.Unroutable);
            problem = problem is null ? $"destination_addr: {addressProblem}" : $"{problem}; destination_addr: {addressProblem}";
            number = content.Recipient.Address;
        }

        var sender = content.Sender.Ton == SmppAddress.TonInternational
            && SmppAddress.TryNormalize(content.Sender.Address, content.Sender.Ton, content.Sender.Npi, null, out var international, out _)
                ? international
                : content.Sender.Address;
        var raw = new InboundRaw(
            content.Command, content.DataCoding, content.EsmClass, content.UserData, content.EncodedTlvs,
            content.Sender.Ton, content.Sender.Npi, content.Recipient.Ton, content.Recipient.Npi, content.Recipient.Address, problem);
        var text = content.Text ?? Convert.ToHexString(content.UserData);
        return new InboundMessage(connection, Digest(sender, number, raw, content.Concatenation), sender, number, text, receivedAt)
        {
            Flags = flags,
            Raw = raw,
            DuplicateWindow = MoDuplicateWindow,
        };
    }

    /// <summary>
    /// A status report as the cluster stores it: its kind by esm_class message type (SMPP 3.4 §5.2.12), the
    /// submitted id in the form submit_sm_resp gave it (<paramref name="findSubmitted"/>), its state and
    /// whether it is final. A report that names no message is still kept (with an empty id), never
    /// acknowledged and dropped.
    /// </summary>
    public static StatusReport ToStatusReport(string connection, IMessagePdu pdu, DateTimeOffset receivedAt, Func<string, string?> findSubmitted)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        ArgumentNullException.ThrowIfNull(findSubmitted);
        if (!DeliveryReceipts.TryParse(pdu, out var receipt, out var error))
        {
            return new StatusReport(connection, "", KindOf(EsmClass.TypeOf(pdu.EsmClass)), "UNKNOWN", Final: false, Delivered: false, error, receivedAt);
        }

        var state = DeliveryReceipts.TextFromState(receipt.State);
        var delivered = receipt.IsDelivered && receipt.Final;
        var problem = delivered
            ? null
            : $"{state}{(receipt.ErrorCode is { } code ? $" (err {code})" : "")}{(receipt.NetworkError is { } network ? $" (network {network.NetworkType}:{network.ErrorCode})" : "")}";
        return new StatusReport(
            connection, findSubmitted(receipt.MessageId) ?? receipt.MessageId, KindOf(receipt.Type), state, receipt.Final, delivered, problem, receivedAt);
    }

    private async Task<string> TakeMoAsync(SmppBind bind, ShortMessageContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var message = ToInboundMessage(bind.Name, bind.Options.Region, content, receivedAt);
        if (content.Concatenation is { } c)
        {
            var part = new InboundPart(message, c.Reference, c.Total, c.Sequence);
            await grains.GetGrain<IConcatenationGrain>(ConcatenationKeys.Of(part)).AddPartAsync(part).WaitAsync(cancellationToken);
            return "part";
        }

        await grains.GetGrain<IInboundGrain>(0).AcceptAsync(message).WaitAsync(cancellationToken);
        return "mo";
    }

    private static StatusReportKind KindOf(MessageType type) => type switch
    {
        MessageType.IntermediateDeliveryNotification => StatusReportKind.IntermediateNotification,
        MessageType.SmeDeliveryAcknowledgement or MessageType.SmeManualAcknowledgement => StatusReportKind.SmeAcknowledgement,
        MessageType.ConversationAbort => StatusReportKind.ConversationAbort,
        _ => StatusReportKind.DeliveryReceipt,
    };

    /// <summary>
    /// SMPP gives an MO no id: its identity is a digest of who sent what to whom and how it was coded
    /// and numbered, with no time in it — the duplicate window slides from each arrival (see <see cref="MoDuplicateWindow"/>).
    /// </summary>
    private static string Digest(string sender, string number, InboundRaw raw, ConcatenationInfo? part)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{sender}\n{number}\n{raw.DataCoding}\n{raw.EsmClass & ~EsmClass.MessageTypeMask}\n{part?.Reference}/{part?.Total}/{part?.Sequence}\n"));
        hash.AppendData(raw.UserData);
        return $"mo-{Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16))}";
    }

    /// <summary>What went wrong, bounded: a database or cluster fault is named as such, not as unreadable input.</summary>
    private static string Describe(Exception ex)
    {
        // Quote: bounded, and digit runs masked too (SMPP addresses carry no '+').
        return Pool.Sms.Logging.LogRedaction.Quote($"{ex.GetType().Name}: {ex.Message}", 300);
    }

    [LoggerMessage(EventId = 7230, Level = LogLevel.Warning, Message = "A {Kind} from carrier connection {Connection} could not be stored in the cluster; the SMSC is told to send it again: {Reason}")]
    private static partial void LogNotStored(ILogger logger, string connection, string kind, string reason);
}
