using System.Threading.Channels;
using Npgsql;

namespace Pool.Grains.Persistence;

/// <summary>One grain state to write: its row key, the version it must find (null: no row may exist), the version it leaves and the serialized state.</summary>
internal sealed record StateWrite(string StateName, string GrainType, string GrainKey, int? Expected, int Next, byte[] Payload)
{
    public (string, string, string) Key => (GrainKey, StateName, GrainType);
}

/// <summary>
/// Group commit of grain state writes: writes that wait while a statement is in flight are written
/// together by the next one — one statement, one round trip and one commit (one WAL flush) for up to
/// <see cref="MaxBatch"/> grains, with the version check done per row. Up to <see cref="Writers"/>
/// statements are in flight at once, so a lone write never waits for another; batches form only when
/// writes arrive faster than a statement completes, which is when sharing the commit pays. There is no
/// linger: nothing waits for a batch to fill.
///
/// Each write's task completes when its statement committed: true if its row was written, false if its
/// version check failed (an ETag conflict: another activation wrote the row, or a row exists where none
/// was expected). A statement that fails fails every write in it with the driver's exception (the grain
/// storage caller translates it); the statement is one transaction, so none of its rows was written.
/// A deadlock or serialization failure (two activations of one grain racing) is retried once, since the
/// aborted transaction wrote nothing. Two writes of the same row never share a statement: the later one
/// waits for the next.
/// </summary>
internal sealed class GroupCommitWriter(NpgsqlDataSource dataSource, string serviceId)
{
    /// <summary>Most grain states written by one statement.</summary>
    public const int MaxBatch = 128;

    /// <summary>Statements in flight at once.</summary>
    public const int Writers = 4;

    // One statement for the whole batch: the rows that expect a version are updated where the version
    // matches; the rows that expect none are inserted unless a row exists. The slots of the rows written
    // come back; a slot that does not is a version conflict.
    private const string WriteSql = """
        WITH batch AS (
            SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::bytea[])
                AS b (slot, state_name, grain_type, grain_key, expected, next_version, payload)
        ),
        updated AS (
            UPDATE grain_state s
            SET payload = b.payload, version = b.next_version, modified_on = now()
            FROM batch b
            WHERE b.expected IS NOT NULL
              AND s.grain_key = b.grain_key AND s.state_name = b.state_name AND s.grain_type = b.grain_type
              AND s.service_id = $1 AND s.version = b.expected
            RETURNING b.slot
        ),
        inserted AS (
            INSERT INTO grain_state (service_id, state_name, grain_type, grain_key, payload, version)
            SELECT $1, b.state_name, b.grain_type, b.grain_key, b.payload, b.next_version
            FROM batch b
            WHERE b.expected IS NULL
            ON CONFLICT DO NOTHING
            RETURNING grain_key, state_name, grain_type
        )
        SELECT slot FROM updated
        UNION ALL
        SELECT b.slot FROM inserted i
        JOIN batch b ON b.expected IS NULL AND b.grain_key = i.grain_key AND b.state_name = i.state_name AND b.grain_type = i.grain_type
        """;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private Task _running = Task.CompletedTask;

    /// <summary>Statements run so far, and the writes they carried (for the benchmark and tests).</summary>
    public long Statements => Interlocked.Read(ref _statements);

    public long Written => Interlocked.Read(ref _written);

    private long _statements;
    private long _written;

    public void Start() =>
        _running = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(RunAsync)));

    /// <summary>Takes no more writes and waits until every write taken is committed or failed.</summary>
    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _running;
    }

    /// <summary>Queues <paramref name="write"/>; completes when it is committed (true) or lost its version check (false).</summary>
    /// <exception cref="InvalidOperationException">The storage is stopping and takes no more writes.</exception>
    public Task<bool> WriteAsync(StateWrite write)
    {
        var pending = new Pending(write);
        return _queue.Writer.TryWrite(pending)
            ? pending.Done.Task
            : throw new InvalidOperationException("the grain storage is stopping and takes no more writes");
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var keys = new HashSet<(string, string, string)>();
        var held = new List<Pending>();
        while (held.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            keys.Clear();
            var carried = held.ToArray();
            held.Clear();
            foreach (var pending in carried)
            {
                Take(pending);
            }

            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                Take(pending);
            }

            if (batch.Count > 0)
            {
                await FlushAsync(batch);
            }
        }

        void Take(Pending pending)
        {
            if (batch.Count < MaxBatch && keys.Add(pending.Write.Key))
            {
                batch.Add(pending);
            }
            else
            {
                held.Add(pending);
            }
        }
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var written = await ExecuteAsync(batch);
                Interlocked.Increment(ref _statements);
                Interlocked.Add(ref _written, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(written[i]);
                }

                return;
            }
            catch (PostgresException ex) when (attempt == 1 && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // The aborted transaction wrote nothing: the same statement again.
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }

                return;
            }
        }
    }

    private async Task<bool[]> ExecuteAsync(List<Pending> batch)
    {
        var count = batch.Count;
        var slots = new int[count];
        var stateNames = new string[count];
        var grainTypes = new string[count];
        var grainKeys = new string[count];
        var expected = new int?[count];
        var next = new int[count];
        var payloads = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var write = batch[i].Write;
            slots[i] = i;
            stateNames[i] = write.StateName;
            grainTypes[i] = write.GrainType;
            grainKeys[i] = write.GrainKey;
            expected[i] = write.Expected;
            next[i] = write.Next;
            payloads[i] = write.Payload;
        }

        await using var command = dataSource.CreateCommand(WriteSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = slots });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = stateNames });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = grainTypes });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = grainKeys });
        command.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = expected });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = next });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads });
        var written = new bool[count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            written[reader.GetInt32(0)] = true;
        }

        return written;
    }

    private sealed class Pending(StateWrite write)
    {
        public StateWrite Write { get; } = write;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
