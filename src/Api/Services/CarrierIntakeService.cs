using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pool.Api.Errors;
using Pool.Contracts.Audit;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.CarrierIntake: what carriers sent that Pool stored flagged, and status reports, for operators.</summary>
internal sealed class CarrierIntakeService(IGrainFactory grains) : V1.CarrierIntake.CarrierIntakeBase
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxConnectionLength = 128;

    private static readonly HashSet<string> s_flags =
    [
        InboundFlags.Binary, InboundFlags.Compressed, InboundFlags.ReservedCoding, InboundFlags.Undecodable, InboundFlags.Unroutable, InboundFlags.MessageWaiting,
    ];

    private ICarrierIntakeDirectoryGrain Directory => grains.GetGrain<ICarrierIntakeDirectoryGrain>(0);

    public override async Task<ListFlaggedMessagesResponse> ListFlaggedMessages(ListFlaggedMessagesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (request.Flag.Length > 0 && !s_flags.Contains(request.Flag))
        {
            violations.Add("flag", $"must be one of {string.Join(", ", s_flags.Order(StringComparer.Ordinal))}");
        }

        var limit = Limit(request.Limit, violations);
        violations.ThrowIfAny();
        var messages = await Directory.ListFlaggedAsync(request.Flag.Length == 0 ? null : request.Flag, limit, request.Before?.ToDateTimeOffset())
            .WaitAsync(context.CancellationToken);

        // An operator reading tenants' messages is audited; the messages go out only once the row is committed.
        var read = new AuditRecord(
            AuditActor.Current, "messages.read", "messages/flagged", null,
            $"{{\"flag\":{System.Text.Json.JsonSerializer.Serialize(request.Flag.Length == 0 ? null : request.Flag)},\"count\":{messages.Count}}}");
        await grains.GetGrain<IAuditLogGrain>(0).AppendAsync(read).WaitAsync(context.CancellationToken);
        return new ListFlaggedMessagesResponse { Messages = { messages.Select(ToProto) } };
    }

    public override async Task<ListStatusReportsResponse> ListStatusReports(ListStatusReportsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (request.Connection.Length > MaxConnectionLength || request.Connection.Any(char.IsControl))
        {
            violations.Add("connection", $"must be at most {MaxConnectionLength} printable characters");
        }

        var limit = Limit(request.Limit, violations);
        violations.ThrowIfAny();
        var reports = await Directory.ListReportsAsync(request.Connection.Length == 0 ? null : request.Connection, request.Pending, limit)
            .WaitAsync(context.CancellationToken);
        return new ListStatusReportsResponse { Reports = { reports.Select(ToProto) } };
    }

    private static int Limit(int limit, FieldViolations violations)
    {
        if (limit is < 0 or > MaxLimit)
        {
            violations.Add("limit", $"must be 0 (the default, {DefaultLimit}) to {MaxLimit}");
        }

        return limit == 0 ? DefaultLimit : Math.Clamp(limit, 1, MaxLimit);
    }

    private static V1.FlaggedMessage ToProto(FlaggedInbound message)
    {
        var proto = new V1.FlaggedMessage
        {
            MessageId = message.MessageId,
            Carrier = message.Carrier,
            Sender = message.SenderMasked,
            Number = message.NumberMasked,
            Text = message.Text ?? "",
            ReceivedAt = Timestamp.FromDateTimeOffset(message.ReceivedAt),
            Flags = { message.Flags },
            Routed = message.Routed,
            LeaseId = message.LeaseId ?? "",
        };
        if (message.Raw is { } raw)
        {
            proto.Raw = new RawShortMessage
            {
                Command = raw.Command,
                DataCoding = raw.DataCoding,
                EsmClass = raw.EsmClass,
                UserDataHex = Convert.ToHexString(raw.UserData),
                TlvsHex = Convert.ToHexString(raw.Tlvs),
                SourceAddrTon = raw.SourceTon,
                SourceAddrNpi = raw.SourceNpi,
                DestAddrTon = raw.DestinationTon,
                DestAddrNpi = raw.DestinationNpi,
                Problem = raw.Problem ?? "",
            };
        }

        return proto;
    }

    private static V1.StoredStatusReport ToProto(Contracts.Inbound.StoredStatusReport stored)
    {
        var report = stored.Report;
        var proto = new V1.StoredStatusReport
        {
            ReportId = stored.ReportId,
            Connection = report.Connection,
            CarrierMessageId = report.CarrierMessageId,
            Kind = report.Kind switch
            {
                StatusReportKind.IntermediateNotification => "intermediate_notification",
                StatusReportKind.SmeAcknowledgement => "sme_acknowledgement",
                StatusReportKind.ConversationAbort => "conversation_abort",
                _ => "delivery_receipt",
            },
            State = report.State,
            Final = report.Final,
            Delivered = report.Delivered,
            Error = report.Error ?? "",
            ReceivedAt = Timestamp.FromDateTimeOffset(report.ReceivedAt),
            Matched = stored.OutboundId is not null,
        };
        if (stored.AppliedAt is { } applied)
        {
            proto.AppliedAt = Timestamp.FromDateTimeOffset(applied);
        }

        return proto;
    }
}
