using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pool.Api.Errors;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Audit: the audit log, for operators.</summary>
internal sealed class AuditService(IGrainFactory grains) : V1.Audit.AuditBase
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const int MaxKeyLength = 64;
    public const int MaxActionLength = 64;
    public const int MaxTargetLength = 256;

    // A page token: this prefix and the audit id to continue below, base64url-encoded.
    private const string TokenPrefix = "audit:";

    public override async Task<ListAuditEventsResponse> ListAuditEvents(ListAuditEventsRequest request, ServerCallContext context)
    {
        var query = ToQuery(request);
        var page = await grains.GetGrain<IAuditLogGrain>(0).ListAsync(query).WaitAsync(context.CancellationToken);
        return new ListAuditEventsResponse
        {
            Events = { page.Entries.Select(ToProto) },
            NextPageToken = page.NextBeforeId is { } next ? Token(next) : "",
        };
    }

    /// <summary>The query of <paramref name="request"/>, or INVALID_ARGUMENT naming every bad field.</summary>
    internal static AuditQuery ToQuery(ListAuditEventsRequest request)
    {
        var violations = new FieldViolations();
        var keyId = Printable(request.KeyId, "key_id", MaxKeyLength, violations);
        var tenant = Printable(request.TenantId, "tenant_id", MaxKeyLength, violations);
        var action = Printable(request.Action, "action", MaxActionLength, violations);
        if (action is not null && !action.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-'))
        {
            violations.Add("action", $"{Echo.Quote(action)} is not an action or its prefix: lowercase letters, digits, '.', '_' and '-' (e.g. number. or pool.create)");
        }

        var target = Printable(request.Target, "target", MaxTargetLength, violations);
        var from = request.From?.ToDateTimeOffset();
        var to = request.To?.ToDateTimeOffset();
        if (from is { } f && to is { } t && f >= t)
        {
            violations.Add("to", $"{t:u} is not after from ({f:u})");
        }

        if (request.PageSize is < 0 or > MaxPageSize)
        {
            violations.Add("page_size", $"{request.PageSize} is out of range: 1 to {MaxPageSize}, or 0 for {DefaultPageSize}");
        }

        long? before = null;
        if (request.PageToken.Length > 0)
        {
            before = ParseToken(request.PageToken);
            if (before is null)
            {
                violations.Add("page_token", "is not a page token of this RPC: pass next_page_token of the previous page as it came");
            }
        }

        violations.ThrowIfAny();
        return new AuditQuery(keyId, tenant, action, target, from, to, request.PageSize == 0 ? DefaultPageSize : request.PageSize, before);
    }

    private static string? Printable(string value, string field, int max, FieldViolations violations)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > max || value.Any(char.IsControl))
        {
            violations.Add(field, $"must be at most {max} printable characters");
            return null;
        }

        return value;
    }

    private static string Token(long beforeId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(TokenPrefix + beforeId.ToString(CultureInfo.InvariantCulture)));

    private static long? ParseToken(string token)
    {
        if (token.Length > 64)
        {
            return null;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            return text.StartsWith(TokenPrefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                ? id
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static AuditEvent ToProto(AuditEntry entry)
    {
        var r = entry.Record;
        return new AuditEvent
        {
            AuditId = entry.AuditId,
            Time = Timestamp.FromDateTimeOffset(entry.At),
            KeyId = r.Actor.KeyId,
            Role = r.Actor.Role,
            TenantId = r.Actor.TenantId,
            PeerAddress = r.Actor.PeerAddress ?? "",
            CorrelationId = r.Actor.CorrelationId ?? "",
            Action = r.Action,
            Target = r.Target,
            BeforeJson = r.Before ?? "",
            AfterJson = r.After ?? "",
            Outcome = r.Outcome,
        };
    }
}
