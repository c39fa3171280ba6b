using Pool.Contracts.Allocation;
using Pool.Contracts.Numbers;

namespace Pool.Grains.Allocation;

/// <summary>
/// Finds a number for a lease: asks the shards of a pool for candidates, starting at a random shard so
/// concurrent leases spread out, and offers the lease to each candidate's number grain until one grants
/// it. The number grain's persisted write is the arbiter; a refusal only means "try another".
/// Cost per lease is independent of pool size: one shard call per candidate and one number write.
/// </summary>
internal sealed class NumberAllocator(IGrainFactory grains)
{
    /// <summary>Candidates tried per lease before giving up, so a pool full of stale candidates cannot stall a request.</summary>
    public const int MaxCandidates = 64;

    /// <summary>Returns the granted number, or null when no shard of the pool had one to give.</summary>
    public async Task<string?> AllocateAsync(LeaseTerms terms)
    {
        var start = Random.Shared.Next(AllocationShards.Count);
        var tried = 0;
        for (var i = 0; i < AllocationShards.Count && tried < MaxCandidates; i++)
        {
            var shard = grains.GetGrain<IAllocationShardGrain>(AllocationShards.KeyOf(terms.PoolId, (start + i) % AllocationShards.Count));
            while (tried < MaxCandidates)
            {
                var candidates = await shard.TakeCandidatesAsync(1);
                if (candidates.Count == 0)
                {
                    break;
                }

                var number = candidates[0];
                tried++;
                if (await TryNumberAsync(shard, number, terms))
                {
                    return number;
                }
            }
        }

        return null;
    }

    private async Task<bool> TryNumberAsync(IAllocationShardGrain shard, string number, LeaseTerms terms)
    {
        LeaseGrant grant;
        try
        {
            grant = await grains.GetGrain<INumberGrain>(number).TryLeaseAsync(terms);
        }
        catch
        {
            // The number's answer is unknown: give it back so the shard does not forget it.
            await shard.ReturnAsync([number]);
            throw;
        }

        // A refused number is dropped from the shard: it is returned by its own grain when its lease ends.
        return grant.Granted;
    }
}
