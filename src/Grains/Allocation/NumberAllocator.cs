using Pool.Contracts.Allocation;
using Pool.Contracts.Numbers;

namespace Pool.Grains.Allocation;

/// <summary>What one allocation attempt found: the granted number, or why there was none.</summary>
internal sealed record Allocation(string? Number, int ServiceUsed, int ExcludedByPrefix, int Waiting, int Busy)
{
    /// <summary>Why a pool gave no number, for the RESOURCE_EXHAUSTED message.</summary>
    public string Explain(string service)
    {
        var reasons = new List<string>();
        if (ServiceUsed > 0)
        {
            reasons.Add($"{ServiceUsed} already used for '{service}'");
        }

        if (ExcludedByPrefix > 0)
        {
            reasons.Add($"{ExcludedByPrefix} excluded by your prefixes");
        }

        if (Waiting > 0)
        {
            reasons.Add($"{Waiting} cooling down or in quarantine");
        }

        if (Busy > 0)
        {
            reasons.Add($"{Busy} found busy");
        }

        return reasons.Count == 0 ? "none available (every number is leased, watchlisted or retired)" : string.Join(", ", reasons);
    }
}

/// <summary>
/// Finds a number for a lease: asks the shards of a pool for candidates, starting at a random shard so
/// concurrent leases spread out, and offers the lease to each candidate's number grain until one grants
/// it. The number grain's persisted write is the arbiter; a refusal only means "try another". The cost
/// of a lease does not depend on the pool's size: a few shard calls and one number write.
/// </summary>
internal sealed class NumberAllocator(IGrainFactory grains)
{
    /// <summary>Candidates tried per lease before giving up, so a pool full of stale candidates cannot stall a request.</summary>
    public const int MaxCandidates = 64;

    // One at a time: a candidate held by an allocation in flight is invisible to the others, so
    // taking more than needed could make a concurrent request see an empty pool that is not.
    private const int BatchSize = 1;

    public async Task<Allocation> AllocateAsync(LeaseTerms terms, IReadOnlyList<string> excludePrefixes, CancellationToken cancellationToken = default)
    {
        var start = Random.Shared.Next(AllocationShards.Count);
        int tried = 0, serviceUsed = 0, excluded = 0, waiting = 0, busy = 0;
        for (var i = 0; i < AllocationShards.Count && tried < MaxCandidates; i++)
        {
            var shard = grains.GetGrain<IAllocationShardGrain>(AllocationShards.KeyOf(terms.PoolId, (start + i) % AllocationShards.Count));
            var keepForOthers = new List<string>();
            try
            {
                while (tried < MaxCandidates)
                {
                    // The caller gave up (deadline or cancellation): take no more candidates.
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = await shard.TakeCandidatesAsync(BatchSize, excludePrefixes);
                    if (batch.Numbers.Count == 0)
                    {
                        // The shard is dry: what it still holds is excluded by prefix or not ready yet.
                        excluded += batch.ExcludedByPrefix;
                        waiting += batch.Waiting;
                        break;
                    }

                    for (var n = 0; n < batch.Numbers.Count; n++)
                    {
                        var number = batch.Numbers[n];
                        tried++;
                        var grant = await TryNumberAsync(shard, number, terms);
                        if (grant.Granted)
                        {
                            keepForOthers.AddRange(batch.Numbers.Skip(n + 1));
                            return new Allocation(number, serviceUsed, excluded, waiting, busy);
                        }

                        switch (grant.Refusal)
                        {
                            case LeaseRefusal.ServiceUsed:
                                // Still a good candidate for other services: it goes back to the shard.
                                serviceUsed++;
                                keepForOthers.Add(number);
                                break;
                            case LeaseRefusal.NotAvailable:
                                // Dropped: the number returns to its shard by itself when it can serve again.
                                busy++;
                                break;
                        }
                    }
                }
            }
            finally
            {
                if (keepForOthers.Count > 0)
                {
                    await shard.ReturnAsync(keepForOthers, null);
                }
            }
        }

        return new Allocation(null, serviceUsed, excluded, waiting, busy);
    }

    private async Task<LeaseGrant> TryNumberAsync(IAllocationShardGrain shard, string number, LeaseTerms terms)
    {
        try
        {
            return await grains.GetGrain<INumberGrain>(number).TryLeaseAsync(terms);
        }
        catch
        {
            // The number's answer is unknown: give it back so the shard does not forget it.
            await shard.ReturnAsync([number], null);
            throw;
        }
    }
}
