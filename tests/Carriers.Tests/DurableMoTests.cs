using System.Collections.Concurrent;
using Pool.Carriers.Simulator;
using Pool.Carriers.Smpp;

namespace Pool.Carriers.Tests;

/// <summary>With a durable MO handler, the SMSC hears "received" only after the handler has the message.</summary>
public sealed class DurableMoTests
{
    private const string Phone = "+85251234567";

    [Fact]
    public async Task Each_part_reaches_the_handler_before_it_is_acknowledged_and_none_goes_to_the_channel()
    {
        await using var pair = await CarrierPair.StartAsync();
        var handed = new ConcurrentQueue<MoPart>();
        pair.Client.DurableMoHandler = (part, _) =>
        {
            handed.Enqueue(part);
            return Task.CompletedTask;
        };
        var text = string.Concat(Enumerable.Repeat("Your code is 482913. ", 12));

        var acknowledged = await pair.Simulator.SendMoAsync("+447911123456", Phone, text, MoConcatenation.Sar);

        Assert.Equal(2, acknowledged);
        Assert.Equal([1, 2], handed.Select(p => p.Concatenation!.Sequence).Order());
        Assert.All(handed, p => Assert.Equal(("+447911123456", Phone, 2), (p.Sender, p.Recipient, p.Concatenation!.Total)));
        Assert.Equal(text, string.Concat(handed.OrderBy(p => p.Concatenation!.Sequence).Select(p => p.Text)));
        Assert.False(pair.Client.MoMessages.TryRead(out _));
    }

    [Fact]
    public async Task A_handler_that_fails_makes_the_answer_a_temporary_error_so_the_SMSC_retries()
    {
        await using var pair = await CarrierPair.StartAsync();
        var calls = 0;
        pair.Client.DurableMoHandler = (_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("the store is down")
            : Task.CompletedTask;

        var refused = await pair.Simulator.SendMoAsync("+447911123456", Phone, "Your code is 111222");
        var accepted = await pair.Simulator.SendMoAsync("+447911123456", Phone, "Your code is 111222");

        Assert.Equal(0, refused);
        Assert.Equal(1, accepted);
        Assert.Equal(2, calls);
        Assert.Equal(EsmeState.Bound, pair.Client.State);
    }
}
