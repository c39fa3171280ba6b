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
}

/// <summary>
/// The record of one idempotency key (state name "idempotency"). A claim left pending for
/// <see cref="PendingTimeout"/> (its call died with its process) can be taken over; an answer is
/// replayed for <see cref="Retention"/>, after which the key is free again.
/// </summary>
public sealed class IdempotencyGrain(
    [PersistentState("idempotency", PoolStorage.Name)] IPersistentState<IdempotencyState> state,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<IdempotencyGrain> logger) : Grain, IIdempotencyGrain
{
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async Task<IdempotencyClaim> BeginAsync(byte[] requestHash)
    {
        var now = time.GetUtcNow();
        var s = state.State;
        var live = state.RecordExists && s.RequestHash.Length > 0
            && (s.CompletedAt is { } completed ? now - completed < Retention : now - s.StartedAt < PendingTimeout);
        if (live)
        {
            if (!s.RequestHash.AsSpan().SequenceEqual(requestHash))
            {
                return new IdempotencyClaim(IdempotencyVerdict.Conflict, null);
            }

            return s.CompletedAt is null
                ? new IdempotencyClaim(IdempotencyVerdict.InProgress, null)
                : new IdempotencyClaim(IdempotencyVerdict.Replay, s.Response);
        }

        s.RequestHash = requestHash;
        s.Response = null;
        s.StartedAt = now;
        s.CompletedAt = null;
        await state.WriteOrDeactivateAsync(this, logger);
        return new IdempotencyClaim(IdempotencyVerdict.Proceed, null);
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
}
