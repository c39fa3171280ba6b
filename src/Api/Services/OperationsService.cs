using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pool.Contracts.Operations;
using Pool.V1;
using V1 = Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Operations: the cluster status, gathered by the <see cref="IOperationsGrain"/>.</summary>
internal sealed class OperationsService(IGrainFactory grains) : Operations.OperationsBase
{
    public override async Task<V1.ClusterStatus> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var status = await grains.GetGrain<IOperationsGrain>(0).GetStatusAsync().WaitAsync(context.CancellationToken);
        var reply = new V1.ClusterStatus
        {
            At = Timestamp.FromDateTimeOffset(status.At),
            Webhooks = new V1.WebhookBacklog
            {
                Pending = status.Webhooks.Pending,
                OldestAge = status.Webhooks.OldestAge is { } age ? Duration.FromTimeSpan(age) : null,
            },
        };
        reply.Silos.AddRange(status.Silos.Select(s => new V1.SiloStatus
        {
            Address = s.Address,
            Name = s.Name,
            Status = s.Status,
            Activations = s.Activations,
            StartedAt = s.StartedAt is { } started ? Timestamp.FromDateTimeOffset(started) : null,
        }));
        reply.Pools.AddRange(status.Pools.Select(p => new PoolStatus
        {
            Pool = p.PoolId,
            Country = p.Country,
            Available = p.Available,
            Leased = p.Leased,
            Cooling = p.Cooling,
            Watchlisted = p.Watchlisted,
            Retired = p.Retired,
            Total = p.Total,
            PercentAvailable = p.PercentAvailable,
        }));
        reply.Routes.AddRange(status.Routes.Select(r =>
        {
            var route = new V1.RouteStatus { Route = r.RouteId, Connection = r.Connection, State = r.State, Circuit = r.Circuit, Override = r.Override, Submits = r.Submits };
            if (r.SuccessRate is { } rate)
            {
                route.SuccessRate = rate;
            }

            return route;
        }));
        reply.Binds.AddRange(status.Binds.Select(b => new V1.BindStatus
        {
            Connection = b.Connection,
            Silo = b.Silo,
            State = b.State,
            WindowInUse = b.WindowInUse,
            WindowSize = b.WindowSize,
            Throttles = b.Throttles,
            ReportedAt = Timestamp.FromDateTimeOffset(b.ReportedAt),
            Stale = b.Stale,
        }));
        return reply;
    }
}
