using Grpc.Core;
using Pool.Api.Errors;
using Pool.Api.Mapping;
using Pool.Contracts.Leases;
using Pool.Contracts.Provisioning;
using Pool.Sms.Numbers;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Leases: validates requests, then hands them to the lease grains.</summary>
internal sealed class LeasesService(IGrainFactory grains) : Leases.LeasesBase
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(20);
    public static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);
    public const int MaxIdempotencyKeyLength = 128;

    public override async Task<Lease> CreateLease(CreateLeaseRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var violations = new FieldViolations();

        if (!Country.TryNormalize(request.Country, out var country, out var countryError))
        {
            violations.Add("country", countryError);
        }

        string? poolId = null;
        if (request.Pool.Length > 0 && !PoolId.TryNormalize(request.Pool, out poolId, out var poolError))
        {
            violations.Add("pool", poolError);
        }

        if (!ServiceName.TryNormalize(request.Service, out var service, out var serviceError))
        {
            violations.Add("service", serviceError);
        }

        var ttl = request.Ttl?.ToTimeSpan() ?? DefaultTtl;
        if (ttl < MinTtl || ttl > MaxTtl)
        {
            violations.Add("ttl", $"{ttl} is out of range: a lease lasts from {MinTtl} to {MaxTtl}");
        }

        var key = request.IdempotencyKey;
        if (key.Length > MaxIdempotencyKeyLength || key.Any(c => c < 0x20 || c > 0x7e))
        {
            violations.Add("idempotency_key", $"must be 1-{MaxIdempotencyKeyLength} printable ASCII characters");
        }

        violations.ThrowIfAny();

        var leaseId = key.Length > 0 ? LeaseIds.ForIdempotencyKey(tenant, key) : LeaseIds.NewRandom();
        var lease = await grains.GetGrain<ILeaseGrain>(leaseId)
            .OpenAsync(new LeaseRequest(tenant, country!, poolId, service!, ttl))
            .WaitAsync(context.CancellationToken);
        return lease.ToProto();
    }

    public override async Task<Lease> GetLease(GetLeaseRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var lease = await Lease(request.LeaseId).GetAsync(tenant).WaitAsync(context.CancellationToken);
        return lease.ToProto();
    }

    public override async Task<Lease> ReleaseLease(ReleaseLeaseRequest request, ServerCallContext context)
    {
        var tenant = CallerTenant.Of(context);
        var violations = new FieldViolations();
        if (!LeaseIds.IsValid(request.LeaseId))
        {
            violations.Add("lease_id", $"'{request.LeaseId}' is not a lease id (\"ls_\" and 32 hex digits)");
        }

        var outcome = LeaseMapper.FromClient(request.Outcome);
        if (outcome is null)
        {
            violations.Add("outcome", $"{request.Outcome} cannot be set by a client; use COMPLETED, CANCELLED or BAD_NUMBER");
        }

        violations.ThrowIfAny();
        var lease = await grains.GetGrain<ILeaseGrain>(request.LeaseId).ReleaseAsync(tenant, outcome!.Value).WaitAsync(context.CancellationToken);
        return lease.ToProto();
    }

    private ILeaseGrain Lease(string leaseId)
    {
        if (!LeaseIds.IsValid(leaseId))
        {
            var violations = new FieldViolations();
            violations.Add("lease_id", $"'{leaseId}' is not a lease id (\"ls_\" and 32 hex digits)");
            violations.ThrowIfAny();
        }

        return grains.GetGrain<ILeaseGrain>(leaseId);
    }
}
