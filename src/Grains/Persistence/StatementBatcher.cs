using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;
using Pool.Contracts.Audit;
using Pool.Grains.Audit;
using Pool.Contracts.Tracing;

namespace Pool.Grains.Persistence;

/// <summary>One grain state to write: its row key, the version it must find (null: no row may exist), the version it leaves and the serialized state.</summary>
internal sealed record StateWrite(string StateName, string GrainType, string GrainKey, int? Expected, int Next, byte[] Payload)
{
    /// <summary>Audit rows of the change this write holds: inserted in the same transaction when the row is written.</summary>
    public IReadOnlyList<AuditRecord> Audits { get; init; } = [];

    public (string, string, string) Key => (GrainKey, StateName, GrainType);
}

/// <summary>
/// Runs queued requests in shared statements: requests that wait while a statement is in flight go
/// together into the next one — one statement, one round trip (and for writes one commit, one WAL
/// flush) for up to <see cref="MaxBatch"/> requests. Up to <see cref="Statements"/> statements are in
/// flight at once, so a lone request never waits for another; batches form only when requests arrive
/// faster than a statement completes, which is when sharing pays. There is no linger: nothing waits for
/// a batch to fill.
///
/// A statement that fails fails every request in it with the driver's exception (the grain storage's
/// caller translates it). A deadlock or serialization failure is retried once: the aborted transaction
/// changed nothing. Two requests with the same <see cref="Key"/> never share a statement when
/// <paramref name="distinctKeys"/> is set: the later one waits for the next.
/// </summary>
internal abstract class StatementBatcher<TRequest, TResult>(bool distinctKeys)
{
    /// <summary>Most requests one statement carries.</summary>
    public const int MaxBatch = 128;

    /// <summary>Statements in flight at once.</summary>
    public const int Statements = 4;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private Task _running = Task.CompletedTask;
    private long _statements;
    private long _requests;

    /// <summary>Statements run so far, and the requests they carried.</summary>
    public (long Statements, long Requests) Counts => (Interlocked.Read(ref _statements), Interlocked.Read(ref _requests));

    public void Start() =>
        _running = Task.WhenAll(Enumerable.Range(0, Statements).Select(_ => Task.Run(RunAsync)));

    /// <summary>Takes no more requests and waits until every request taken is answered.</summary>
    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _running;
    }

    /// <summary>Queues <paramref name="request"/>; completes with its result once its statement ran.</summary>
    /// <exception cref="InvalidOperationException">The storage is stopping and takes no more requests.</exception>
    public Task<TResult> RunAsync(TRequest request)
    {
        var pending = new Pending(request);
        return _queue.Writer.TryWrite(pending)
            ? pending.Done.Task
            : throw new InvalidOperationException("the grain storage is stopping and takes no more requests");
    }

    /// <summary>The row a request touches (requests of one row never share a statement when keys must be distinct).</summary>
    protected abstract (string, string, string) Key(TRequest request);

    /// <summary>Runs one statement for <paramref name="batch"/>; returns one result per request, in order.</summary>
    protected abstract Task<TResult[]> ExecuteAsync(IReadOnlyList<TRequest> batch);

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var requests = new List<TRequest>(MaxBatch);
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
                if (distinctKeys)
                {
                    // Rows locked in one order by every statement: two that share rows (duplicate activations) cannot deadlock.
                    batch.Sort((a, b) => Compare(Key(a.Request), Key(b.Request)));
                }

                requests.Clear();
                requests.AddRange(batch.Select(p => p.Request));
                await FlushAsync(batch, requests);
            }
        }

        void Take(Pending pending)
        {
            if (batch.Count < MaxBatch && (!distinctKeys || keys.Add(Key(pending.Request))))
            {
                batch.Add(pending);
            }
            else
            {
                held.Add(pending);
            }
        }
    }

    private static int Compare((string, string, string) a, (string, string, string) b)
    {
        var order = string.CompareOrdinal(a.Item1, b.Item1);
        order = order != 0 ? order : string.CompareOrdinal(a.Item2, b.Item2);
        return order != 0 ? order : string.CompareOrdinal(a.Item3, b.Item3);
    }

    private async Task FlushAsync(List<Pending> batch, List<TRequest> requests)
    {
        // The statement (and its Npgsql command span) belongs to the trace of the first traced request in it;
        // the other requests' traces are linked. Nothing is started while tracing is off.
        using var span = StartStatementSpan(batch);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var results = await ExecuteAsync(requests);
                Interlocked.Increment(ref _statements);
                Interlocked.Add(ref _requests, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }

                return;
            }
            catch (PostgresException ex) when (attempt == 1 && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // The aborted transaction changed nothing: the same statement again.
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

    private static Activity? StartStatementSpan(List<Pending> batch)
    {
        if (!PoolActivity.Source.HasListeners() || batch.FirstOrDefault(p => p.Caller != default) is not { } first)
        {
            return null;
        }

        var links = batch.Where(p => p.Caller != default && p.Caller != first.Caller).Select(p => new ActivityLink(p.Caller)).ToList();
        var span = PoolActivity.Source.StartActivity(PoolActivity.StorageStatement, ActivityKind.Internal, first.Caller, tags: null, links: links);
        span?.SetTag("pool.storage.requests", batch.Count);
        return span;
    }

    private sealed class Pending(TRequest request)
    {
        public TRequest Request { get; } = request;

        /// <summary>The span that queued the request (default when none is recorded): the statement continues its trace.</summary>
        public ActivityContext Caller { get; } = Activity.Current is { Recorded: true } current ? current.Context : default;

        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// Group commit of grain state writes (<see cref="StatementBatcher{TRequest, TResult}"/>): one statement
/// writes many grains' states, each row version-checked. A write's result is true if its row was
/// written, false if its version check failed (an ETag conflict: another activation wrote the row, or
/// a row exists where none was expected). The statement is one transaction: when it fails, none of its
/// rows was written. Two writes of one row never share a statement. When writes carry audit rows, the
/// statement and the audit rows of the writes that passed their version check run in one transaction:
/// a failed audit insert rolls back every row of the statement.
/// </summary>
internal sealed class GroupCommitWriter(NpgsqlDataSource dataSource, string serviceId) : StatementBatcher<StateWrite, bool>(distinctKeys: true)
{
    // The rows that expect a version are updated where the version matches; the rows that expect none
    // are inserted unless a row exists. The slots of the rows written come back; a slot that does not is
    // a version conflict.
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

    protected override (string, string, string) Key(StateWrite request) => request.Key;

    protected override async Task<bool[]> ExecuteAsync(IReadOnlyList<StateWrite> batch)
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
            var write = batch[i];
            slots[i] = i;
            stateNames[i] = write.StateName;
            grainTypes[i] = write.GrainType;
            grainKeys[i] = write.GrainKey;
            expected[i] = write.Expected;
            next[i] = write.Next;
            payloads[i] = write.Payload;
        }

        var audited = batch.Any(w => w.Audits.Count > 0);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = audited ? await connection.BeginTransactionAsync() : null;
        await using var command = new NpgsqlCommand(WriteSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = slots });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = stateNames });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = grainTypes });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = grainKeys });
        command.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = expected });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = next });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads });
        var written = new bool[count];
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                written[reader.GetInt32(0)] = true;
            }
        }

        if (transaction is not null)
        {
            await using var inserts = new NpgsqlBatch(connection, transaction);
            for (var i = 0; i < count; i++)
            {
                if (written[i])
                {
                    foreach (var record in batch[i].Audits)
                    {
                        inserts.BatchCommands.Add(AuditRows.Insert(record));
                    }
                }
            }

            if (inserts.BatchCommands.Count > 0)
            {
                await inserts.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        return written;
    }
}

/// <summary>One grain state to read: its row key.</summary>
internal sealed record StateRead(string StateName, string GrainType, string GrainKey);

/// <summary>A stored grain state: its payload (null: cleared) and version.</summary>
internal sealed record StoredState(byte[]? Payload, int Version);

/// <summary>
/// Grain state reads of many activations in one statement (<see cref="StatementBatcher{TRequest, TResult}"/>):
/// each read's result is its row, or null when the grain has none.
/// </summary>
internal sealed class GroupReader(NpgsqlDataSource dataSource, string serviceId) : StatementBatcher<StateRead, StoredState?>(distinctKeys: false)
{
    private const string ReadSql = """
        SELECT k.slot, s.payload, s.version
        FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS k (slot, state_name, grain_type, grain_key)
        JOIN grain_state s
          ON s.grain_key = k.grain_key AND s.state_name = k.state_name AND s.grain_type = k.grain_type AND s.service_id = $1
        """;

    protected override (string, string, string) Key(StateRead request) => (request.GrainKey, request.StateName, request.GrainType);

    protected override async Task<StoredState?[]> ExecuteAsync(IReadOnlyList<StateRead> batch)
    {
        var count = batch.Count;
        await using var command = dataSource.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. Enumerable.Range(0, count)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.StateName)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.GrainType)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.GrainKey)] });
        var found = new StoredState?[count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetInt32(0)] = new StoredState(reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.GetInt32(2));
        }

        return found;
    }
}
