using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Orleans.TestingHost;
using Pool.Grains.Numbers;
using Pool.Grains.Persistence;
using Pool.Testing;

namespace Pool.Grains.Tests;

/// <summary>Pool's grain storage on its own table: group commit, version checks, and states of earlier releases.</summary>
public sealed class GrainStorageTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _serviceId = $"svc-{Guid.NewGuid():n}"[..16];

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static IGrainStorage Storage(TestCluster cluster, string name = PoolStorage.Name) =>
        ((InProcessSiloHandle)cluster.Silos[0]).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(name);

    [Fact]
    public async Task Concurrent_writes_of_many_grains_share_statements_and_every_one_lands_with_its_version()
    {
        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        var storage = (PoolGrainStorage)Storage(cluster);
        var before = storage.Commits;

        var states = Enumerable.Range(0, 400)
            .Select(i => (Id: GrainId.Create("number", $"+8525{i:D7}"), State: new GrainState<NumberState>(new NumberState { PoolId = $"p{i}", Country = "HK" })))
            .ToList();
        await Task.WhenAll(states.Select(s => Task.Run(() => storage.WriteStateAsync("group-probe", s.Id, s.State))));
        await Task.WhenAll(states.Select(s => Task.Run(() => storage.WriteStateAsync("group-probe", s.Id, s.State))));

        var after = storage.Commits;
        Assert.Equal(800, after.Writes - before.Writes);
        Assert.True(after.Statements - before.Statements < 800, $"{after.Statements - before.Statements} statements for 800 writes: none shared");
        Assert.All(states, s => Assert.Equal("2", s.State.ETag));
        Assert.Equal(400, await _database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE state_name = 'group-probe' AND version = 2"));
        var reread = new GrainState<NumberState>(new NumberState());
        await storage.ReadStateAsync("group-probe", states[123].Id, reread);
        Assert.Equal("p123", reread.State!.PoolId);
        Assert.Equal("2", reread.ETag);
        Assert.True(reread.RecordExists);
    }

    [Fact]
    public async Task Concurrent_reads_share_statements_and_each_gets_its_own_row_or_none()
    {
        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        var storage = (PoolGrainStorage)Storage(cluster);
        for (var i = 0; i < 300; i += 2)
        {
            await storage.WriteStateAsync("read-probe", GrainId.Create("number", $"+8526{i:D7}"), new GrainState<NumberState>(new NumberState { PoolId = $"p{i}", Uses = i }));
        }

        var before = storage.Reads;
        var reads = Enumerable.Range(0, 300)
            .Select(i => (Index: i, State: new GrainState<NumberState>(new NumberState { PoolId = "unread" })))
            .ToList();
        await Task.WhenAll(reads.Select(r => Task.Run(() => storage.ReadStateAsync("read-probe", GrainId.Create("number", $"+8526{r.Index:D7}"), r.State))));

        var after = storage.Reads;
        Assert.Equal(300, after.Reads - before.Reads);
        Assert.True(after.Statements - before.Statements < 300, $"{after.Statements - before.Statements} statements for 300 reads: none shared");
        Assert.All(reads, r =>
        {
            var stored = r.Index % 2 == 0;
            Assert.Equal(stored, r.State.RecordExists);
            Assert.Equal(stored ? "1" : null, r.State.ETag);
            Assert.Equal(stored ? $"p{r.Index}" : "", r.State.State!.PoolId);
            Assert.Equal(stored ? r.Index : 0, r.State.State.Uses);
        });
    }

    [Fact]
    public async Task Two_activations_writing_from_the_same_version_at_once_one_wins_and_the_other_gets_a_conflict()
    {
        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        var storage = Storage(cluster);
        var grainId = GrainId.Create("number", "+85255550001");
        var first = new GrainState<NumberState>(new NumberState { PoolId = "a", Country = "HK" });
        await storage.WriteStateAsync("race-probe", grainId, first);

        for (var round = 0; round < 20; round++)
        {
            var one = new GrainState<NumberState>(new NumberState { PoolId = $"one-{round}", Country = "HK" }) { ETag = first.ETag };
            var two = new GrainState<NumberState>(new NumberState { PoolId = $"two-{round}", Country = "HK" }) { ETag = first.ETag };
            var results = await Task.WhenAll(Attempt(one), Attempt(two));

            Assert.Equal(1, results.Count(won => won));
            var winner = results[0] ? one : two;
            var stored = new GrainState<NumberState>(new NumberState());
            await storage.ReadStateAsync("race-probe", grainId, stored);
            Assert.Equal(winner.State!.PoolId, stored.State!.PoolId);
            Assert.Equal(winner.ETag, stored.ETag);
            first = winner;
        }

        async Task<bool> Attempt(GrainState<NumberState> state)
        {
            try
            {
                await storage.WriteStateAsync("race-probe", grainId, state);
                return true;
            }
            catch (InconsistentStateException ex)
            {
                // The message reaches logs: the number in the grain's key is masked.
                Assert.DoesNotContain("+85255550001", ex.Message, StringComparison.Ordinal);
                Assert.Contains("number/+852****0001", ex.Message, StringComparison.Ordinal);
                return false;
            }
        }
    }

    [Fact]
    public async Task Clearing_deletes_the_row_and_a_stale_clear_is_a_conflict()
    {
        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        var storage = Storage(cluster);
        var grainId = GrainId.Create("number", "+85255550002");
        var state = new GrainState<NumberState>(new NumberState { PoolId = "a", Country = "HK" });
        await storage.WriteStateAsync("clear-probe", grainId, state);
        var stale = new GrainState<NumberState>(new NumberState()) { ETag = state.ETag, RecordExists = true };
        await storage.WriteStateAsync("clear-probe", grainId, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("clear-probe", grainId, stale));
        await storage.ClearStateAsync("clear-probe", grainId, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE state_name = 'clear-probe'"));
        var reread = new GrainState<NumberState>(new NumberState { PoolId = "untouched" });
        await storage.ReadStateAsync("clear-probe", grainId, reread);
        Assert.False(reread.RecordExists);
        Assert.Null(reread.ETag);
        Assert.Equal("", reread.State!.PoolId);
        await storage.WriteStateAsync("clear-probe", grainId, reread);
        Assert.Equal("1", reread.ETag);
    }

    [Fact]
    public async Task A_state_written_by_an_earlier_release_is_read_continued_and_cleared_for_good()
    {
        var grainId = GrainId.Create("number", "+85255550003");
        await using (var earlier = await PoolCluster.StartAsync(_database, _serviceId, silos: 1))
        {
            // What a release before grain_state wrote: a row in OrleansStorage through the ADO.NET provider, at version 3.
            var legacy = Storage(earlier, PoolGrainStorage.LegacyName);
            var old = new GrainState<NumberState>(new NumberState { PoolId = "from-earlier-release", Country = "HK", Uses = 7 });
            for (var i = 0; i < 3; i++)
            {
                await legacy.WriteStateAsync("legacy-probe", grainId, old);
            }

            Assert.Equal("3", old.ETag);
        }

        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        var storage = Storage(cluster);
        var read = new GrainState<NumberState>(new NumberState());
        await storage.ReadStateAsync("legacy-probe", grainId, read);

        Assert.True(read.RecordExists);
        Assert.Equal("from-earlier-release", read.State!.PoolId);
        Assert.Equal(7, read.State.Uses);

        // Its first write lands in grain_state and continues the version (projection revisions stay in step).
        read.State.Uses = 8;
        await storage.WriteStateAsync("legacy-probe", grainId, read);
        Assert.Equal("4", read.ETag);
        Assert.Equal(4, await _database.ScalarAsync<int>("SELECT version FROM grain_state WHERE state_name = 'legacy-probe'"));
        var again = new GrainState<NumberState>(new NumberState());
        await storage.ReadStateAsync("legacy-probe", grainId, again);
        Assert.Equal(8, again.State!.Uses);
        Assert.Equal("4", again.ETag);

        // A second activation that read the old row too cannot write over the new one.
        var staleReader = new GrainState<NumberState>(new NumberState { PoolId = "stale" }) { ETag = "L3", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("legacy-probe", grainId, staleReader));

        // Clearing removes both rows: the old one can never come back.
        await storage.ClearStateAsync("legacy-probe", grainId, again);
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE state_name = 'legacy-probe'"));
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'legacy-probe'"));
        var cleared = new GrainState<NumberState>(new NumberState());
        await storage.ReadStateAsync("legacy-probe", grainId, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Equal("", cleared.State!.PoolId);
    }

    [Fact]
    public async Task Writes_while_PostgreSQL_is_stopped_fail_every_caller_change_nothing_and_writing_works_again_once_it_is_back()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        // Not dropped: it goes with the private server's files, even when the test fails while the server is down.
        var database = await TestDatabase.CreateAsync(postgres.ServerConnectionString);
        var cluster = await PoolCluster.StartAsync(database, _serviceId, silos: 1);
        try
        {
            var storage = Storage(cluster);
            var states = Enumerable.Range(0, 20)
                .Select(i => (Id: GrainId.Create("number", $"+8527{i:D7}"), State: new GrainState<NumberState>(new NumberState { PoolId = "before", Uses = 1 })))
                .ToList();
            await Task.WhenAll(states.Select(s => storage.WriteStateAsync("outage-probe", s.Id, s.State)));

            await postgres.StopAsync();
            foreach (var (_, state) in states)
            {
                state.State!.PoolId = "during";
            }

            var attempts = states.Select(s => Task.Run(() => storage.WriteStateAsync("outage-probe", s.Id, s.State))).ToList();
            var finished = Task.WhenAll(attempts);
            Assert.Same(finished, await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(60))));
            Assert.All(attempts, a => Assert.True(a.IsFaulted, "a write was acknowledged while PostgreSQL was stopped"));
            Assert.All(attempts, a => Assert.IsNotType<InconsistentStateException>(a.Exception!.InnerException));
            Assert.All(states, s => Assert.Equal("1", s.State.ETag));

            await postgres.StartAgainAsync();
            // The test's own pooled connections died with the server.
            NpgsqlConnection.ClearAllPools();
            var reread = new GrainState<NumberState>(new NumberState());
            await Eventually.ReturnsAsync(
                async () =>
                {
                    try
                    {
                        await storage.ReadStateAsync("outage-probe", states[0].Id, reread);
                        return true;
                    }
                    catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                    {
                        return false;
                    }
                },
                ok => ok,
                TimeSpan.FromSeconds(60),
                "PostgreSQL to answer again");
            Assert.Equal("before", reread.State!.PoolId);
            Assert.Equal("1", reread.ETag);

            await Task.WhenAll(states.Select(s => storage.WriteStateAsync("outage-probe", s.Id, s.State)));
            Assert.All(states, s => Assert.Equal("2", s.State.ETag));
            Assert.Equal(20, await database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE state_name = 'outage-probe' AND version = 2 AND position(convert_to('during', 'UTF8') in payload) > 0"));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData("", null, 1)]
    [InlineData("1", 1, 2)]
    [InlineData("2147483647", 2147483647, 1)]
    [InlineData("L5", null, 6)]
    [InlineData("L2147483647", null, 1)]
    public void The_version_a_write_expects_and_leaves_follows_its_etag(string? etag, int? expected, int next)
    {
        Assert.Equal((expected, next), PoolGrainStorage.Versions(etag));
    }
}
