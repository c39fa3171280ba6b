using Pool.Contracts.Errors;
using Pool.Contracts.Tenants;

namespace Pool.Grains.Tenants;

/// <summary>
/// Admission of a tenant's leases: the concurrent-lease quota and the anti-scan rule (a tenant whose
/// recent leases mostly received no SMS is probing numbers, not verifying users: it is refused new
/// leases for a cool-off). Holds no durable state: on activation it reads the tenant's active count
/// and recent outcomes from the lease projection, and keeps them in memory from there. One activation
/// per tenant sees that tenant's leases; the work per call is a few comparisons.
/// </summary>
public sealed class TenantGrain(
    TenantStore store,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain
{
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private readonly Queue<bool> _recent = new();

    // How many of _recent received no SMS, kept with the queue so a lease's end costs O(1), not O(window).
    private int _silent;
    private TenantLimits _limits = TenantLimits.Default;
    private int _activeAtLoad;
    private DateTimeOffset? _throttledUntil;

    private string TenantId => this.GetPrimaryKeyString();

    private int ActiveCount => _activeAtLoad + _active.Count;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task AdmitLeaseAsync(string leaseId)
    {
        var now = time.GetUtcNow();
        if (_throttledUntil is { } until && until > now)
        {
            throw new PoolException(PoolErrorCode.Exhausted, $"tenant '{TenantId}' is throttled until {until:u}: most of its recent leases received no SMS (anti-scan rule); retry after {Math.Ceiling((until - now).TotalSeconds)} s");
        }

        if (ActiveCount >= _limits.MaxActiveLeases)
        {
            throw new PoolException(PoolErrorCode.Exhausted, $"tenant '{TenantId}' already holds {ActiveCount} active leases, its maximum; release one first");
        }

        _active.Add(leaseId);
        return Task.CompletedTask;
    }

    public Task WithdrawAsync(string leaseId)
    {
        _active.Remove(leaseId);
        return Task.CompletedTask;
    }

    public Task LeaseEndedAsync(string leaseId, bool receivedSms)
    {
        if (!_active.Remove(leaseId) && _activeAtLoad > 0)
        {
            _activeAtLoad--;
        }

        Remember(receivedSms);
        while (_recent.Count > _limits.ScanWindow)
        {
            _silent -= _recent.Dequeue() ? 0 : 1;
        }

        var silent = _silent;
        if (_recent.Count >= _limits.ScanMinLeases && silent * 100 >= _limits.ScanSilentPercent * _recent.Count)
        {
            _throttledUntil = time.GetUtcNow() + _limits.ScanCooloff;
            _recent.Clear();
            _silent = 0;
            TenantLog.Throttled(logger, TenantId, silent, _limits.ScanCooloff);
        }

        return Task.CompletedTask;
    }

    public async Task RefreshAsync()
    {
        var tenant = await store.FindTenantAsync(TenantId);
        _limits = tenant?.Limits ?? TenantLimits.Default;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var tenant = await store.FindTenantAsync(TenantId, cancellationToken);
        _limits = tenant?.Limits ?? TenantLimits.Default;
        var (active, recent) = await store.ReadLeaseHistoryAsync(TenantId, _limits.ScanWindow, cancellationToken);
        _activeAtLoad = active;
        foreach (var received in recent.Reverse())
        {
            Remember(received);
        }
    }

    private void Remember(bool receivedSms)
    {
        _recent.Enqueue(receivedSms);
        _silent += receivedSms ? 0 : 1;
    }
}
