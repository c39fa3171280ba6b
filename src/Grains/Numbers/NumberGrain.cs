using Pool.Contracts.Allocation;
using Pool.Contracts.Errors;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Grains.Inventory;
using Pool.Grains.Persistence;
using Pool.Sms.Numbers;

namespace Pool.Grains.Numbers;

/// <summary>
/// The life of one virtual number. A number that has never been leased has no state row: its pool
/// comes from the inventory on activation, so provisioning a million numbers writes a million
/// inventory rows and no grain state. Every transition is persisted before it is acknowledged.
/// </summary>
public sealed class NumberGrain(
    [PersistentState("number", PoolStorage.Name)] IPersistentState<NumberState> state,
    NumberInventory inventory,
    TimeProvider time,
    ILogger<NumberGrain> logger) : Grain, INumberGrain
{
    private bool _provisioned;

    private string Number => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists)
        {
            _provisioned = true;
            return;
        }

        var record = await inventory.FindNumberAsync(Number, cancellationToken);
        if (record is not null)
        {
            state.State.PoolId = record.PoolId;
            state.State.Country = record.Country;
            state.State.Status = NumberStatus.Available;
            _provisioned = true;
        }
    }

    public Task<NumberInfo> GetAsync()
    {
        if (!_provisioned)
        {
            throw new PoolException(PoolErrorCode.NotFound, $"number {E164.Mask(Number)} is not in any pool", "number");
        }

        var s = state.State;
        return Task.FromResult(new NumberInfo(Number, s.PoolId, s.Country, s.Status, s.Lease?.LeaseId, s.Uses));
    }

    public async Task<LeaseGrant> TryLeaseAsync(LeaseTerms terms)
    {
        var s = state.State;
        if (!_provisioned || s.PoolId != terms.PoolId)
        {
            return LeaseGrant.No(LeaseRefusal.NotInPool);
        }

        if (s.Status == NumberStatus.Leased)
        {
            return s.Lease?.LeaseId == terms.LeaseId ? LeaseGrant.Yes : LeaseGrant.No(LeaseRefusal.NotAvailable);
        }

        s.Status = NumberStatus.Leased;
        s.Lease = terms;
        s.Uses++;
        await state.WriteOrDeactivateAsync(this, logger);
        NumberLog.Leased(logger, new MaskedNumber(Number), terms.LeaseId, s.PoolId);
        return LeaseGrant.Yes;
    }

    public async Task EndLeaseAsync(string leaseId, LeaseOutcome outcome)
    {
        var s = state.State;
        if (s.Status != NumberStatus.Leased || s.Lease?.LeaseId != leaseId)
        {
            return;
        }

        s.Status = NumberStatus.Available;
        s.Lease = null;
        s.LastLeaseEndedAt = time.GetUtcNow();
        await state.WriteOrDeactivateAsync(this, logger);
        NumberLog.LeaseEnded(logger, new MaskedNumber(Number), leaseId, outcome);

        var shard = GrainFactory.GetGrain<IAllocationShardGrain>(AllocationShards.KeyOf(s.PoolId, AllocationShards.ShardOf(Number)));
        await shard.ReturnAsync([Number]);
    }
}

internal static partial class NumberLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Number {Number} leased to {LeaseId} in pool {PoolId}")]
    public static partial void Leased(ILogger logger, MaskedNumber number, string leaseId, string poolId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Number {Number} released by {LeaseId} ({Outcome})")]
    public static partial void LeaseEnded(ILogger logger, MaskedNumber number, string leaseId, LeaseOutcome outcome);
}
