using Google.Protobuf.WellKnownTypes;
using Pool.Api.Errors;
using Pool.Contracts.Inventory;
using ProtoPolicy = Pool.V1.PoolPolicy;

namespace Pool.Api.Mapping;

internal static class PoolMapper
{
    public static V1.Pool ToProto(this PoolInfo pool) => new()
    {
        Pool_ = pool.PoolId,
        Country = pool.Country,
        Carrier = pool.Carrier ?? "",
        Region = pool.Region ?? "",
        Policy = pool.Policy.ToProto(),
        CreateTime = Timestamp.FromDateTimeOffset(pool.CreatedAt),
    };

    public static ProtoPolicy ToProto(this PoolPolicy policy)
    {
        var proto = new ProtoPolicy
        {
            DefaultTtl = Duration.FromTimeSpan(policy.DefaultTtl),
            MaxLeaseTime = Duration.FromTimeSpan(policy.MaxLeaseTime),
            Cooldown = Duration.FromTimeSpan(policy.Cooldown),
            MaxUses = policy.MaxUses,
            SilentLeaseLimit = policy.SilentLeaseLimit,
            BadNumberLimit = policy.BadNumberLimit,
            FloodMessagesPerHour = policy.FloodMessagesPerHour,
            Quarantine = Duration.FromTimeSpan(policy.Quarantine),
            MaxOffences = policy.MaxOffences,
            SlideOnMessage = policy.SlideOnMessage,
            MessageRetention = Duration.FromTimeSpan(policy.MessageRetention),
        };
        if (policy.ReuseWindow is { } window)
        {
            proto.ReuseWindow = Duration.FromTimeSpan(window);
        }

        return proto;
    }

    /// <summary>A policy from a request: unset fields take the defaults; every broken rule is added to <paramref name="violations"/>.</summary>
    public static PoolPolicy FromProto(ProtoPolicy? proto, FieldViolations violations)
    {
        var d = PoolPolicy.Default;
        if (proto is null)
        {
            return d;
        }

        var policy = new PoolPolicy
        {
            DefaultTtl = proto.DefaultTtl?.ToTimeSpan() ?? d.DefaultTtl,
            MaxLeaseTime = proto.MaxLeaseTime?.ToTimeSpan() ?? d.MaxLeaseTime,
            Cooldown = proto.Cooldown?.ToTimeSpan() ?? d.Cooldown,
            MaxUses = proto.HasMaxUses ? proto.MaxUses : d.MaxUses,
            ReuseWindow = proto.ReuseWindow?.ToTimeSpan(),
            SilentLeaseLimit = proto.HasSilentLeaseLimit ? proto.SilentLeaseLimit : d.SilentLeaseLimit,
            BadNumberLimit = proto.HasBadNumberLimit ? proto.BadNumberLimit : d.BadNumberLimit,
            FloodMessagesPerHour = proto.HasFloodMessagesPerHour ? proto.FloodMessagesPerHour : d.FloodMessagesPerHour,
            Quarantine = proto.Quarantine?.ToTimeSpan() ?? d.Quarantine,
            MaxOffences = proto.HasMaxOffences ? proto.MaxOffences : d.MaxOffences,
            SlideOnMessage = proto.HasSlideOnMessage ? proto.SlideOnMessage : d.SlideOnMessage,
            MessageRetention = proto.MessageRetention?.ToTimeSpan() ?? d.MessageRetention,
        };
        foreach (var (field, problem) in policy.Validate())
        {
            violations.Add($"policy.{field}", problem);
        }

        return policy;
    }

    public static V1.PoolStats ToProto(this PoolStats stats) => new()
    {
        Pool = stats.PoolId,
        Available = stats.Available,
        Leased = stats.Leased,
        Cooling = stats.Cooling,
        Watchlisted = stats.Watchlisted,
        Retired = stats.Retired,
        Total = stats.Total,
    };
}
