using System.Globalization;
using Grpc.Core;
using Pool.Api.Errors;
using Pool.Api.Mapping;
using Pool.Api.Metrics;
using Pool.Contracts.Errors;
using Pool.Contracts.Leases;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Leases: validates requests, then hands them to the lease grains.</summary>
internal sealed class LeasesService(IGrainFactory grains, LeaseOperations leases) : Leases.LeasesBase
{
    public static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxExtension = TimeSpan.FromHours(24);
    public const int MaxIdempotencyKeyLength = 128;
    public const int MaxExcludePrefixes = 20;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public override async Task<Lease> CreateLease(CreateLeaseRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var violations = new FieldViolations();
        var country = Validate.Country(request.Country, violations);
        var poolId = request.Pool.Length > 0 ? Validate.Pool(request.Pool, violations) : null;

        if (!ServiceName.TryNormalize(request.Service, out var service, out var serviceError))
        {
            violations.Add("service", serviceError);
        }

        var ttl = request.Ttl?.ToTimeSpan();
        if (ttl is { } t && (t < MinTtl || t > MaxTtl))
        {
            violations.Add("ttl", $"{t} is out of range: a lease lasts from {MinTtl} to {MaxTtl}");
        }

        var key = request.IdempotencyKey;
        if (key.Length > MaxIdempotencyKeyLength || key.Any(c => c < 0x20 || c > 0x7e))
        {
            violations.Add("idempotency_key", $"must be 1-{MaxIdempotencyKeyLength} printable ASCII characters");
        }

        if (request.ExcludePrefixes.Count > MaxExcludePrefixes)
        {
            violations.Add("exclude_prefixes", $"holds {request.ExcludePrefixes.Count} prefixes; at most {MaxExcludePrefixes}");
        }

        for (var i = 0; i < request.ExcludePrefixes.Count && i < MaxExcludePrefixes; i++)
        {
            var prefix = request.ExcludePrefixes[i];
            if (prefix.Length is < 2 or > 15 || prefix[0] != '+' || prefix.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
            {
                violations.Add($"exclude_prefixes[{i}]", $"{Echo.Quote(prefix)} is not an E.164 prefix: '+' and 1-14 digits, e.g. +8525");
            }
        }

        violations.ThrowIfAny();

        var leaseRequest = new LeaseRequest(tenant, country!, poolId, service!, ttl) { ExcludePrefixes = [.. request.ExcludePrefixes.Distinct()] };
        return (await leases.OpenAsync(leaseRequest, key, context.CancellationToken)).ToProto();
    }

    public override async Task<Lease> GetLease(GetLeaseRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var leaseId = Validate.Required(Validate.LeaseId, request.LeaseId);
        return (await leases.GetAsync(tenant, leaseId, context.CancellationToken)).ToProto();
    }

    public override async Task<Lease> ReleaseLease(ReleaseLeaseRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var violations = new FieldViolations();
        var leaseId = Validate.LeaseId(request.LeaseId, violations);
        var outcome = LeaseMapper.FromClient(request.Outcome);
        if (outcome is null)
        {
            violations.Add("outcome", $"{request.Outcome} cannot be set by a client; use COMPLETED, CANCELLED or BAD_NUMBER");
        }

        violations.ThrowIfAny();
        return (await leases.ReleaseAsync(tenant, leaseId!, outcome!.Value, context.CancellationToken)).ToProto();
    }

    public override async Task<Lease> ExtendLease(ExtendLeaseRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var violations = new FieldViolations();
        var leaseId = Validate.LeaseId(request.LeaseId, violations);
        var by = request.ExtendBy?.ToTimeSpan();
        if (by is not { } extension || extension < TimeSpan.FromSeconds(1) || extension > MaxExtension)
        {
            violations.Add("extend_by", $"is required: from 1 second to {MaxExtension}");
        }

        violations.ThrowIfAny();
        return (await grains.GetGrain<ILeaseGrain>(leaseId!).ExtendAsync(tenant, by!.Value).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<Lease> RequestAnotherSms(RequestAnotherSmsRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var leaseId = Validate.Required(Validate.LeaseId, request.LeaseId);
        return (await leases.RequestAnotherSmsAsync(tenant, leaseId, context.CancellationToken)).ToProto();
    }

    /// <summary>How long one long poll of the lease waits before the stream checks again.</summary>
    public static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(20);

    public override async Task WatchMessages(WatchMessagesRequest request, IServerStreamWriter<Message> responseStream, ServerCallContext context)
    {
        var opened = DateTimeOffset.UtcNow;
        var tenant = CallerTenant.Of(context);
        var leaseId = Validate.Required(Validate.LeaseId, request.LeaseId);
        var lease = grains.GetGrain<ILeaseGrain>(leaseId);
        await lease.GetAsync(tenant).WaitAsync(context.CancellationToken);
        var inbound = grains.GetGrain<Contracts.Inbound.IInboundGrain>(0);
        var sent = new HashSet<string>(StringComparer.Ordinal);

        var messages = await inbound.ListForLeaseAsync(leaseId).WaitAsync(context.CancellationToken);
        if (request.AfterMessageId.Length > 0)
        {
            var position = messages.ToList().FindIndex(m => m.MessageId == request.AfterMessageId);
            if (position < 0)
            {
                var violations = new FieldViolations();
                violations.Add("after_message_id", $"{Echo.Quote(request.AfterMessageId)} is not a message of lease {leaseId}");
                violations.ThrowIfAny();
            }

            sent.UnionWith(messages.Take(position + 1).Select(m => m.MessageId));
        }

        // The lease's own message count is what the wait compares with. It can run ahead of the messages
        // listed (a carrier's retry after a lost answer counts a message again): waiting for more than
        // the listed count would then return at once, every time, until the lease ends.
        var known = messages.Count;
        while (true)
        {
            foreach (var message in messages.Where(m => sent.Add(m.MessageId)))
            {
                await StreamMetrics.WriteAsync(responseStream, message, opened, context.CancellationToken);
            }

            var (counted, active) = await lease.WaitForMessageAsync(tenant, known, WatchPoll, context.CancellationToken).WaitAsync(context.CancellationToken);
            known = Math.Max(known, counted);
            messages = await inbound.ListForLeaseAsync(leaseId).WaitAsync(context.CancellationToken);
            if (!active)
            {
                foreach (var message in messages.Where(m => sent.Add(m.MessageId)))
                {
                    await StreamMetrics.WriteAsync(responseStream, message, opened, context.CancellationToken);
                }

                return;
            }
        }
    }

    public override async Task WatchAllMessages(WatchAllMessagesRequest request, IServerStreamWriter<Message> responseStream, ServerCallContext context)
    {
        var opened = DateTimeOffset.UtcNow;
        if (request.AfterCursor < 0)
        {
            var violations = new FieldViolations();
            violations.Add("after_cursor", $"{request.AfterCursor} is not a cursor (0 or more)");
            violations.ThrowIfAny();
        }

        var inbox = grains.GetGrain<Contracts.Inbound.ITenantInboxGrain>(CallerTenant.Of(context));
        var cursor = request.AfterCursor;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var messages = await inbox.WaitAsync(cursor, WatchPoll, context.CancellationToken).WaitAsync(context.CancellationToken);
            foreach (var message in messages)
            {
                await StreamMetrics.WriteAsync(responseStream, message, opened, context.CancellationToken);
                cursor = message.Cursor;
            }
        }
    }

    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var leaseId = Validate.Required(Validate.LeaseId, request.LeaseId);
        var messages = await leases.ListMessagesAsync(tenant, leaseId, context.CancellationToken);
        return new ListMessagesResponse { Messages = { messages.Select(m => m.ToProto()) } };
    }

    public override async Task<ListLeasesResponse> ListLeases(ListLeasesRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var violations = new FieldViolations();
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            violations.Add("page_size", $"{request.PageSize} is out of range (0 for the default of {DefaultPageSize}, at most {MaxPageSize})");
        }

        LeaseCursor? after = null;
        if (request.PageToken.Length > 0)
        {
            // Token: "<creation ticks>.<lease id>" of the last lease of the previous page.
            var parts = request.PageToken.Split('.', 2);
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks > 0 && ticks < DateTimeOffset.MaxValue.UtcTicks && LeaseIds.IsValid(parts[1]))
            {
                after = new LeaseCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1]);
            }
            else
            {
                violations.Add("page_token", "is not a token from a previous ListLeases answer");
            }
        }

        violations.ThrowIfAny();
        var size = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var page = await leases.ListAsync(tenant, request.ActiveOnly, after, size, context.CancellationToken);
        var response = new ListLeasesResponse { Leases = { page.Select(l => l.ToProto()) } };
        if (page.Count == size)
        {
            response.NextPageToken = $"{page[^1].CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{page[^1].LeaseId}";
        }

        return response;
    }
}
