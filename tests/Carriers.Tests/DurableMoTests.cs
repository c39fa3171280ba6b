using Pool.Carriers.Simulator;
using Pool.Carriers.Smpp;

namespace Pool.Carriers.Tests;

/// <summary>The SMSC hears "received" only after the delivery handler has the message.</summary>
public sealed class DurableMoTests
{
    private const string Phone = "+85251234567";

    [Fact]
    public async Task Each_part_reaches_the_handler_before_it_is_acknowledged()
    {
        await using var pair = await CarrierPair.StartAsync();
        var deliveries = Deliveries.Attach(pair.Client);
        var text = string.Concat(Enumerable.Repeat("Your code is 482913. ", 12));

        var acknowledged = await pair.Simulator.SendMoAsync("+447911123456", Phone, text, MoConcatenation.Sar);

        // SendMoAsync returns once the SMSC has every deliver_sm_resp: by then the handler has had both parts.
        Assert.Equal(2, acknowledged);
        Assert.Equal(2, deliveries.All.Count);
        Assert.True(deliveries.TryReadMo(out var first));
        Assert.True(deliveries.TryReadMo(out var second));
        Assert.Equal(text, string.Concat(new[] { first!, second! }.OrderBy(p => p.Concatenation!.Sequence).Select(p => p.Text)));
    }

    [Fact]
    public async Task Without_a_handler_nothing_is_acknowledged()
    {
        await using var pair = await CarrierPair.StartAsync();

        var acknowledged = await pair.Simulator.SendMoAsync("+447911123456", Phone, "Your code is 111222");

        Assert.Equal(0, acknowledged);
    }

    [Fact]
    public async Task A_handler_that_fails_makes_the_answer_a_temporary_error_so_the_SMSC_retries()
    {
        await using var pair = await CarrierPair.StartAsync();
        var calls = 0;
        pair.Client.DeliveryHandler = (_, _) => Interlocked.Increment(ref calls) == 1
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
