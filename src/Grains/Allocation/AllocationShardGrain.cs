using Pool.Contracts.Allocation;
using Pool.Grains.Inventory;

namespace Pool.Grains.Allocation;

/// <summary>
/// An in-memory queue of lease candidates for one shard of a pool. It owns no durable state and
/// never calls a number grain: it only hands out and takes back names, so it stays fast and can
/// never deadlock with a number that returns itself. On activation it loads every number of the
/// shard from the inventory; numbers that turn out to be leased are refused by their grains and
/// come back when their lease ends.
/// </summary>
public sealed class AllocationShardGrain(NumberInventory inventory, ILogger<AllocationShardGrain> logger) : Grain, IAllocationShardGrain
{
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        var poolId = key[..slash];
        var shard = int.Parse(key[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Enqueue(await inventory.ListShardAsync(poolId, shard, cancellationToken));
        ShardLog.Loaded(logger, key, _queue.Count);
    }

    public Task<IReadOnlyList<string>> TakeCandidatesAsync(int max)
    {
        var taken = new List<string>(Math.Min(max, _queue.Count));
        while (taken.Count < max && _queue.TryDequeue(out var number))
        {
            _queued.Remove(number);
            taken.Add(number);
        }

        return Task.FromResult<IReadOnlyList<string>>(taken);
    }

    public Task ReturnAsync(IReadOnlyList<string> numbers)
    {
        Enqueue(numbers);
        return Task.CompletedTask;
    }

    private void Enqueue(IEnumerable<string> numbers)
    {
        foreach (var number in numbers)
        {
            if (_queued.Add(number))
            {
                _queue.Enqueue(number);
            }
        }
    }
}

internal static partial class ShardLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Allocation shard {Shard} loaded {Count} candidates")]
    public static partial void Loaded(ILogger logger, string shard, int count);
}
