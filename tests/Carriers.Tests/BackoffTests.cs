using Pool.Carriers.Smpp;

namespace Pool.Carriers.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void Reconnect_delays_double_per_attempt_with_jitter_and_stop_at_the_maximum()
    {
        var min = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(60);
        var random = new Random(5);

        for (var attempt = 0; attempt < 40; attempt++)
        {
            var step = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempt), 60));
            var delay = Backoff.Delay(attempt, min, max, random);

            Assert.InRange(delay, step / 2, step);
        }
    }

    [Fact]
    public void Jitter_spreads_clients_that_fail_at_the_same_moment()
    {
        var random = new Random(9);

        var delays = Enumerable.Range(0, 50).Select(_ => Backoff.Delay(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), random)).ToHashSet();

        Assert.True(delays.Count > 40, $"fifty clients on attempt 3 should get mostly different delays; got {delays.Count} distinct");
    }
}
