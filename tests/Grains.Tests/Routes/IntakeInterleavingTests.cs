using Npgsql;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;

namespace Pool.Grains.Tests.Routes;

/// <summary>
/// The grains carriers hand their deliveries to are reentrant stateless workers: deliveries that wait on
/// the database (here: on an advisory lock a test transaction holds) do not hold up the others, however
/// many wait — a non-reentrant worker would stop at one per activation, a few per silo.
/// </summary>
public sealed class IntakeInterleavingTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>
{
    private const int Blocked = 6;

    [Fact]
    public async Task Status_reports_waiting_on_the_database_do_not_hold_up_another()
    {
        var ids = Enumerable.Range(0, Blocked).Select(i => $"held-{i}").ToList();
        await using var holder = await HoldAsync(ids.Select(id => $"outbound-id/il-conn/s:{id.ToUpperInvariant()}"));
        var receipts = fixture.Grains.GetGrain<IOutboundReceiptGrain>(0);

        var waiting = ids.Select(id => receipts.RecordAsync(Reports.Final("il-conn", id, delivered: true))).ToList();
        var free = await receipts.RecordAsync(Reports.Final("il-conn", "free", delivered: true)).WaitAsync(TimeSpan.FromSeconds(20));
        var stillWaiting = waiting.Count(t => !t.IsCompleted);
        await holder.CommitAsync();
        var released = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(StatusReportOutcome.Pending, free);
        Assert.Equal(Blocked, stillWaiting);
        Assert.All(released, outcome => Assert.Equal(StatusReportOutcome.Pending, outcome));
    }

    [Fact]
    public async Task Inbound_messages_waiting_on_the_database_do_not_hold_up_another()
    {
        var digests = Enumerable.Range(0, Blocked).Select(i => $"mo-held-{i}").ToList();
        await using var holder = await HoldAsync(digests.Select(d => $"inbound-digest/il-carrier/{d}"));
        var inbound = fixture.Grains.GetGrain<IInboundGrain>(0);
        // Unroutable (no number grain to consult): the only wait is the store's.
        InboundMessage Message(string digest) => new("il-carrier", digest, "Bank", "POOLDESK", $"text {digest}", fixture.Clock.GetUtcNow())
        {
            DuplicateWindow = TimeSpan.FromMinutes(5),
            Flags = [InboundFlags.Unroutable],
        };

        var waiting = digests.Select(d => inbound.AcceptAsync(Message(d))).ToList();
        var free = await inbound.AcceptAsync(Message("mo-free")).WaitAsync(TimeSpan.FromSeconds(20));
        var stillWaiting = waiting.Count(t => !t.IsCompleted);
        await holder.CommitAsync();
        var released = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(InboundOutcome.Unsolicited, free.Outcome);
        Assert.Equal(Blocked, stillWaiting);
        Assert.All(released, result => Assert.Equal(InboundOutcome.Unsolicited, result.Outcome));
    }

    /// <summary>Takes the advisory locks the stores take for these keys, in a transaction the caller commits to let them go.</summary>
    private async Task<LockHolder> HoldAsync(IEnumerable<string> keys)
    {
        var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        foreach (var key in keys)
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            await command.ExecuteNonQueryAsync();
        }

        return new LockHolder(connection, transaction);
    }

    private sealed class LockHolder(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public Task CommitAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
