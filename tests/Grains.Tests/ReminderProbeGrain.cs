using System.Collections.Concurrent;

namespace Pool.Grains.Tests;

/// <summary>A grain that counts its reminder's ticks, to prove reminders are durable on our schema.</summary>
[Alias("pool.tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Start")]
    Task StartAsync(TimeSpan period);

    [Alias("Stop")]
    Task StopAsync();
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    /// <summary>Ticks per grain key, observed across silo restarts (the silos run in the test process).</summary>
    public static ConcurrentDictionary<string, int> Ticks { get; } = new();

    public async Task StartAsync(TimeSpan period) =>
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromSeconds(1), period);

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }
}
