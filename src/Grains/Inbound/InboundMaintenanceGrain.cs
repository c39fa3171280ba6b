using Microsoft.Extensions.Options;
using Pool.Contracts.Inbound;
using Pool.Grains.Webhooks;

namespace Pool.Grains.Inbound;

/// <summary>
/// The inbound housekeeping, on two durable reminders: every minute, messages stored but never routed
/// (their silo died between storing and routing, or a step failed and the carrier gave up retrying) are
/// routed by <see cref="IInboundGrain.RouteStoredAsync"/> — one stored attached to a lease goes straight to
/// that lease, one stored unattached starts at its number (see <see cref="InboundGrain"/> for which crash
/// leaves which); every <see cref="InboundOptions.RetentionInterval"/>,
/// message text past its pool's retention is purged and old finished webhook deliveries are deleted.
/// Not on any request path: one activation (key 0) is enough.
/// </summary>
public sealed class InboundMaintenanceGrain(
    MessageStore messages,
    WebhookStore webhooks,
    IOptions<InboundOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<InboundMaintenanceGrain> logger) : Grain, IInboundMaintenanceGrain, IRemindable
{
    private const string RecoveryReminder = "recover-unrouted";
    private const string RetentionReminder = "retention";
    private const int Batch = 10_000;

    public async Task StartAsync()
    {
        var retention = options.Value.RetentionInterval < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : options.Value.RetentionInterval;
        await this.RegisterOrUpdateReminder(RecoveryReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        await this.RegisterOrUpdateReminder(RetentionReminder, retention, retention);
    }

    public async Task<int> PurgeExpiredTextAsync()
    {
        var now = time.GetUtcNow();
        var purged = await messages.PurgeExpiredTextAsync(now, options.Value.DefaultMessageRetention, Batch);
        await webhooks.DeleteFinishedBeforeAsync(now - options.Value.DeliveryRetention);
        if (purged > 0)
        {
            InboundLog.Purged(logger, purged);
        }

        return purged;
    }

    public async Task<int> RecoverUnroutedAsync()
    {
        var unrouted = await messages.ListUnroutedAsync(time.GetUtcNow() - options.Value.RecoveryGrace, limit: 1000);
        var inbound = GrainFactory.GetGrain<IInboundGrain>(0);
        foreach (var chunk in unrouted.Chunk(32))
        {
            await Task.WhenAll(chunk.Select(m => inbound.RouteStoredAsync(m.MessageId)));
        }

        return unrouted.Count;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        RecoveryReminder => RecoverUnroutedAsync(),
        RetentionReminder => PurgeExpiredTextAsync(),
        _ => Task.CompletedTask,
    };
}

/// <summary>
/// Starts the maintenance reminders once the silo is active (retrying while the reminder service warms
/// up): inbound recovery and retention, the verification expiry sweep, the outbound owner sweep and the audit retention purge; and routes the messages a
/// crash left unrouted.
/// </summary>
public sealed partial class InboundMaintenanceStarter(IGrainFactory grains, ILogger<InboundMaintenanceStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(InboundMaintenanceStarter), ServiceLifecycleStage.Active, cancellationToken =>
        {
            _ = Task.Run(StartWithRetriesAsync, CancellationToken.None);
            return Task.CompletedTask;
        });

    private async Task StartWithRetriesAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var maintenance = grains.GetGrain<IInboundMaintenanceGrain>(0);
                await maintenance.StartAsync();
                await grains.GetGrain<Contracts.Verification.IVerificationSweepGrain>(0).StartAsync();
                await grains.GetGrain<Routes.IOutboundOwnerSweepGrain>(0).StartAsync();
                await grains.GetGrain<Contracts.Audit.IAuditRetentionGrain>(0).EnsureScheduledAsync();

                // A silo starting after a crash routes what the crash left unrouted now, not a minute later.
                await maintenance.RecoverUnroutedAsync();
                return;
            }
            catch (Exception ex) when (attempt < 30)
            {
                LogRetry(logger, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    [LoggerMessage(EventId = 7020, Level = LogLevel.Debug, Message = "Inbound maintenance reminders not registered yet (attempt {Attempt}): {Reason}")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason);
}
