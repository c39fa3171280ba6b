using Pool.Contracts.Idempotency;
using Pool.Grains.Persistence;

namespace Pool.Grains.Idempotency;

[GenerateSerializer, Alias("pool.IdempotencyState")]
public sealed class IdempotencyState
{
    [Id(0)]
    public byte[] RequestHash { get; set; } = [];

    [Id(1)]
    public byte[]? Response { get; set; }

    [Id(2)]
    public DateTimeOffset StartedAt { get; set; }

    [Id(3)]
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The API process running the call of a pending claim (null: a record written before owners were kept).</summary>
    [Id(4)]
    public string? OwnerProcess { get; set; }

    /// <summary>The silo that process runs in, when it is co-hosted with one.</summary>
    [Id(5)]
    public SiloAddress? OwnerSilo { get; set; }

    /// <summary>Until when a pending claim holds, unless renewed.</summary>
    [Id(6)]
    public DateTimeOffset HeldUntil { get; set; }
}

/// <summary>
/// The record of one idempotency key (state name "idempotency"). A running claim names its owner and
/// holds for <see cref="IdempotencyLease.Duration"/> at a time, renewed by the owner while its call runs;
/// it is taken over at once when the cluster declared the owner's silo dead, and otherwise as soon as
/// the owner stops renewing it. A retry that finds the claim running is told how long it still holds.
/// An answer is replayed for <see cref="Retention"/>, after which the key is free again.
/// </summary>
public sealed partial class IdempotencyGrain(
    [PersistentState("idempotency", PoolStorage.Name)] IPersistentState<IdempotencyState> state,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    IClusterMembershipService membership,
    ILogger<IdempotencyGrain> logger) : Grain, IIdempotencyGrain
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>How long a claim recorded without a lease (by an older version) holds.</summary>
    public static readonly TimeSpan LegacyPendingTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The shortest retry delay an in-progress answer suggests.</summary>
    public static readonly TimeSpan MinRetryAfter = TimeSpan.FromMilliseconds(100);

    public async Task<IdempotencyClaim> ClaimAsync(byte[] requestHash, IdempotencyOwner owner)
    {
        var now = time.GetUtcNow();
        var s = state.State;
        if (state.RecordExists && s.RequestHash.Length > 0)
        {
            if (s.CompletedAt is { } completed && now - completed < Retention)
            {
                return s.RequestHash.AsSpan().SequenceEqual(requestHash)
                    ? new IdempotencyClaim(IdempotencyVerdict.Replay, s.Response)
                    : new IdempotencyClaim(IdempotencyVerdict.Conflict, null);
            }

            if (s.CompletedAt is null)
            {
                var holdsFor = HoldsFor(s, now);
                if (holdsFor > TimeSpan.Zero)
                {
                    return s.RequestHash.AsSpan().SequenceEqual(requestHash)
                        ? new IdempotencyClaim(IdempotencyVerdict.InProgress, null) { RetryAfter = Max(holdsFor < IdempotencyLease.RenewEvery ? holdsFor : IdempotencyLease.RenewEvery, MinRetryAfter) }
                        : new IdempotencyClaim(IdempotencyVerdict.Conflict, null);
                }

                TakenOver(logger, s.OwnerProcess, s.OwnerSilo, now - s.StartedAt);
            }
        }

        s.RequestHash = requestHash;
        s.Response = null;
        s.StartedAt = now;
        s.CompletedAt = null;
        s.OwnerProcess = owner.ProcessId;
        s.OwnerSilo = owner.Silo;
        s.HeldUntil = now + IdempotencyLease.Duration;
        await state.WriteOrDeactivateAsync(this, logger);
        return new IdempotencyClaim(IdempotencyVerdict.Proceed, null);
    }

    public async Task<bool> RenewAsync(byte[] requestHash, string processId)
    {
        var s = state.State;
        if (s.CompletedAt is not null || s.OwnerProcess != processId || !s.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            return false;
        }

        s.HeldUntil = time.GetUtcNow() + IdempotencyLease.Duration;
        await state.WriteOrDeactivateAsync(this, logger);
        return true;
    }

    public async Task CompleteAsync(byte[] requestHash, byte[] response)
    {
        if (!state.State.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            return;
        }

        state.State.Response = response;
        state.State.CompletedAt = time.GetUtcNow();
        await state.WriteOrDeactivateAsync(this, logger);
    }

    public async Task AbandonAsync(byte[] requestHash)
    {
        if (state.State.RequestHash.AsSpan().SequenceEqual(requestHash) && state.State.CompletedAt is null)
        {
            await state.ClearStateAsync();
        }
    }

    /// <summary>How much longer a pending claim holds: nothing once its owner's silo is dead or its lease lapsed.</summary>
    private TimeSpan HoldsFor(IdempotencyState s, DateTimeOffset now)
    {
        if (s.OwnerSilo is { } silo && membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead)
        {
            return TimeSpan.Zero;
        }

        var until = s.OwnerProcess is null ? s.StartedAt + LegacyPendingTimeout : s.HeldUntil;
        return until - now;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(EventId = 9012, Level = LogLevel.Information, Message = "An abandoned idempotency claim of process {OwnerProcess} (silo {OwnerSilo}) was taken over after {Age}")]
    private static partial void TakenOver(ILogger logger, string? ownerProcess, SiloAddress? ownerSilo, TimeSpan age);
}
