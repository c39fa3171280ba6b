using Pool.Contracts.Allocation;
using Pool.Grains.Inventory;

namespace Pool.Grains.Allocation;

/// <summary>
/// The lease candidates of one shard of a pool, in memory: a queue of numbers ready now and a
/// timetable of numbers that become ready later (cooling down, in quarantine). It owns no durable
/// state and never calls a number grain, so it stays fast and cannot deadlock with a number that
/// returns itself. It loads its candidates from the inventory projection when it activates and
/// again every <see cref="RefreshPeriod"/>, which also recovers numbers whose return was lost with a silo.
/// </summary>
public sealed class AllocationShardGrain(NumberInventory inventory, [FromKeyedServices(PoolClock.Key)] TimeProvider time, ILogger<AllocationShardGrain> logger) : Grain, IAllocationShardGrain
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(5);

    /// <summary>How many queued numbers one take may skip over for excluded prefixes, bounding its cost.</summary>
    public const int MaxScan = 512;

    private readonly LinkedList<string> _ready = new();
    private readonly Dictionary<string, LinkedListNode<string>> _readyNodes = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _waiting = new();
    private readonly Dictionary<string, DateTimeOffset> _waitingUntil = new(StringComparer.Ordinal);
    private string _poolId = "";
    private int _shard;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        _poolId = key[..slash];
        _shard = int.Parse(key[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await LoadAsync(cancellationToken);
        this.RegisterGrainTimer(ct => LoadAsync(ct), new GrainTimerCreationOptions(RefreshPeriod, RefreshPeriod) { KeepAlive = false });
    }

    public Task<CandidateBatch> TakeCandidatesAsync(int max, IReadOnlyList<string> excludePrefixes)
    {
        PromoteDue();
        var taken = new List<string>(max);
        var excluded = 0;
        var node = _ready.First;
        for (var scanned = 0; node is not null && taken.Count < max && scanned < MaxScan; scanned++)
        {
            var next = node.Next;
            if (Excluded(node.Value, excludePrefixes))
            {
                excluded++;
            }
            else
            {
                taken.Add(node.Value);
                _readyNodes.Remove(node.Value);
                _ready.Remove(node);
            }

            node = next;
        }

        return Task.FromResult(new CandidateBatch(taken, excluded, _waitingUntil.Count));
    }

    public Task ReturnAsync(IReadOnlyList<string> numbers, DateTimeOffset? readyAt)
    {
        var now = time.GetUtcNow();
        foreach (var number in numbers)
        {
            Add(number, readyAt is { } at && at > now ? at : null);
        }

        return Task.CompletedTask;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var candidates = await inventory.ListShardAsync(_poolId, _shard, cancellationToken);
        foreach (var (number, readyAt) in candidates)
        {
            Add(number, readyAt is { } at && at > now ? at : null);
        }

        ShardLog.Loaded(logger, _poolId, _shard, _ready.Count, _waitingUntil.Count);
    }

    private void Add(string number, DateTimeOffset? readyAt)
    {
        if (readyAt is { } at)
        {
            if (_readyNodes.ContainsKey(number) || (_waitingUntil.TryGetValue(number, out var known) && known >= at))
            {
                return;
            }

            _waitingUntil[number] = at;
            _waiting.Enqueue(number, at);
            return;
        }

        if (!_readyNodes.ContainsKey(number))
        {
            _waitingUntil.Remove(number);
            _readyNodes[number] = _ready.AddLast(number);
        }
    }

    /// <summary>Moves numbers whose cooldown or quarantine has ended to the ready queue.</summary>
    private void PromoteDue()
    {
        var now = time.GetUtcNow();
        while (_waiting.TryPeek(out var number, out var at) && at <= now)
        {
            _waiting.Dequeue();
            // A stale timetable entry (the number was re-added later or became ready meanwhile) is skipped.
            if (_waitingUntil.TryGetValue(number, out var current) && current == at)
            {
                _waitingUntil.Remove(number);
                Add(number, null);
            }
        }
    }

    private static bool Excluded(string number, IReadOnlyList<string> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (number.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

internal static partial class ShardLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Allocation shard {PoolId}/{Shard} loaded: {Ready} ready, {Waiting} waiting")]
    public static partial void Loaded(ILogger logger, string poolId, int shard, int ready, int waiting);
}
