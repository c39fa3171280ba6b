using System.Threading.Channels;
using Xunit.Sdk;

namespace Pool.Carriers.Tests;

/// <summary>Waits on a signal or a condition with a bound, failing with a message that says what was expected.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    public static async Task<T> ReadAsync<T>(ChannelReader<T> reader, string expected, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Within);
        try
        {
            return await reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new XunitException($"Expected {expected} within {(within ?? Within).TotalSeconds:0.#} s; nothing arrived");
        }
    }

    public static async Task<T> WaitAsync<T>(Task<T> task, string expected, TimeSpan? within = null)
    {
        try
        {
            return await task.WaitAsync(within ?? Within);
        }
        catch (TimeoutException)
        {
            throw new XunitException($"Expected {expected} within {(within ?? Within).TotalSeconds:0.#} s");
        }
    }

    public static async Task WaitAsync(Task task, string expected, TimeSpan? within = null)
    {
        try
        {
            await task.WaitAsync(within ?? Within);
        }
        catch (TimeoutException)
        {
            throw new XunitException($"Expected {expected} within {(within ?? Within).TotalSeconds:0.#} s");
        }
    }

    public static async Task UntilAsync(Func<bool> condition, string expected, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Within);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new XunitException($"Expected {expected} within {(within ?? Within).TotalSeconds:0.#} s");
            }

            await Task.Delay(20);
        }
    }
}
