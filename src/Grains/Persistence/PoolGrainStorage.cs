using System.Globalization;
using Npgsql;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Pool.Grains.Audit;

namespace Pool.Grains.Persistence;

/// <summary>
/// Pool's grain storage on PostgreSQL (provider <see cref="PoolStorage.Name"/>): table <c>grain_state</c>
/// (migration 0016), one row per grain and state name, the state as the configured
/// <see cref="IGrainStorageSerializer"/> writes it, and an integer version as the ETag.
///
/// Writes go through <see cref="GroupCommitWriter"/>: concurrent writes of many grains share one
/// statement and one commit, each row still version-checked, so a write is acknowledged only once it is
/// committed and a stale activation's write changes nothing and raises
/// <see cref="InconsistentStateException"/>, as with any Orleans storage. Reads of activations starting
/// at the same time share statements the same way (<see cref="GroupReader"/>); clearing deletes the row
/// (version-checked), one statement each.
///
/// States written by earlier releases live in the ADO.NET provider's <c>OrleansStorage</c> table. When
/// that table holds rows of this service (checked once at start), a grain with no row here is read
/// from there through the ADO.NET provider (<paramref name="legacy"/>) and its ETag marked as such; its
/// first write here continues that version. Clearing such a state clears the old row first, so a
/// cleared state never comes back from it.
///
/// A write carries the audit rows its grain held for it (<paramref name="audits"/>, see
/// <see cref="PendingAudits"/>): they are inserted in the write's transaction, only when its version
/// check passed, so a change and its audit row commit together or not at all.
/// </summary>
public sealed partial class PoolGrainStorage(
    string name,
    string connectionString,
    IGrainStorageSerializer serializer,
    IGrainStorage? legacy,
    string serviceId,
    IActivatorProvider activators,
    ILogger<PoolGrainStorage> logger,
    PendingAudits? audits = null) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>The name the ADO.NET provider that reads <c>OrleansStorage</c> rows of earlier releases is registered under.</summary>
    public const string LegacyName = "pool-legacy";

    // An ETag read from OrleansStorage: "L" and its version there.
    private const string LegacyTag = "L";

    private const string DeleteSql =
        "DELETE FROM grain_state WHERE grain_key = $1 AND state_name = $2 AND grain_type = $3 AND service_id = $4 AND version = $5";

    private const string ExistsSql =
        "SELECT EXISTS (SELECT 1 FROM grain_state WHERE grain_key = $1 AND state_name = $2 AND grain_type = $3 AND service_id = $4)";

    private readonly NpgsqlDataSource _dataSource = CreateDataSource(connectionString);
    private GroupCommitWriter? _writer;
    private GroupReader? _reader;

    // Whether OrleansStorage holds rows of this service: only then is it read for a grain without a row here.
    private bool _legacyRows;

    private GroupCommitWriter Writer => _writer ?? throw new InvalidOperationException("the grain storage has not started");

    private GroupReader Reader => _reader ?? throw new InvalidOperationException("the grain storage has not started");

    /// <summary>Write statements committed since start, and the grain state writes they carried (writes ÷ statements: the grouping achieved).</summary>
    public (long Statements, long Writes) Commits => _writer?.Counts ?? (0, 0);

    /// <summary>Read statements run since start, and the grain state reads they carried.</summary>
    public (long Statements, long Reads) Reads => _reader?.Counts ?? (0, 0);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(PoolGrainStorage)}-{name}", ServiceLifecycleStage.RuntimeStorageServices, StartAsync, StopAsync);

    /// <summary>Looks for rows of earlier releases and starts the writer (the silo lifecycle calls it).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (legacy is not null)
        {
            await using var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM OrleansStorage WHERE ServiceId = $1)");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
            _legacyRows = await command.ExecuteScalarAsync(cancellationToken) is true;
            if (_legacyRows)
            {
                LogLegacyRows(logger, serviceId);
            }
        }

        _writer = new GroupCommitWriter(_dataSource, serviceId);
        _reader = new GroupReader(_dataSource, serviceId);
        _writer.Start();
        _reader.Start();
    }

    /// <summary>Writes what is queued, then takes no more writes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_writer is { } writer)
        {
            await writer.StopAsync();
        }

        if (_reader is { } reader)
        {
            await reader.StopAsync();
        }
    }

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (grainType, grainKey) = KeyOf(grainId);
        if (await Reader.RunAsync(new StateRead(stateName, grainType, grainKey)) is { } stored)
        {
            grainState.State = stored.Payload is null ? Create<T>() : serializer.Deserialize<T>(new BinaryData(stored.Payload));
            grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = stored.Payload is not null;
            return;
        }

        if (_legacyRows && legacy is not null)
        {
            await legacy.ReadStateAsync(stateName, grainId, grainState);
            grainState.ETag = grainState.ETag is { Length: > 0 } tag ? LegacyTag + tag : null;
            grainState.State ??= Create<T>();
            return;
        }

        grainState.State = Create<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (grainType, grainKey) = KeyOf(grainId);
        var (expected, next) = Versions(grainState.ETag);
        var payload = serializer.Serialize(grainState.State).ToArray();
        var records = audits?.Take(grainId) ?? [];
        if (!await Writer.RunAsync(new StateWrite(stateName, grainType, grainKey, expected, next, payload) { Audits = records }))
        {
            throw Conflict("write", stateName, grainId, grainState.ETag);
        }

        grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (grainType, grainKey) = KeyOf(grainId);
        var tag = grainState.ETag;
        if (_legacyRows && legacy is not null)
        {
            // The old row goes first: should the rest fail, the state read back is still the current one.
            var old = new GrainState<T>(grainState.State)
            {
                ETag = tag is not null && tag.StartsWith(LegacyTag, StringComparison.Ordinal) ? tag[LegacyTag.Length..] : null,
                RecordExists = tag is not null && tag.StartsWith(LegacyTag, StringComparison.Ordinal),
            };
            await legacy.ClearStateAsync(stateName, grainId, old);
        }

        if (tag is null || tag.StartsWith(LegacyTag, StringComparison.Ordinal))
        {
            // No row of ours was read: there must be none.
            await using var exists = _dataSource.CreateCommand(ExistsSql);
            AddKey(exists, stateName, grainType, grainKey);
            if (await exists.ExecuteScalarAsync() is true)
            {
                throw Conflict("clear", stateName, grainId, tag);
            }
        }
        else
        {
            await using var delete = _dataSource.CreateCommand(DeleteSql);
            AddKey(delete, stateName, grainType, grainKey);
            delete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = int.Parse(tag, NumberStyles.None, CultureInfo.InvariantCulture) });
            if (await delete.ExecuteNonQueryAsync() != 1)
            {
                throw Conflict("clear", stateName, grainId, tag);
            }
        }

        grainState.State = Create<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>
    /// The version a write must find (null: no row here) and the one it leaves. A state read from
    /// OrleansStorage at version v is inserted here at v + 1; versions wrap from int.MaxValue to 1.
    /// </summary>
    public static (int? Expected, int Next) Versions(string? etag)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return (null, 1);
        }

        var legacyTag = etag.StartsWith(LegacyTag, StringComparison.Ordinal);
        var version = int.Parse(legacyTag ? etag.AsSpan(LegacyTag.Length) : etag.AsSpan(), NumberStyles.None, CultureInfo.InvariantCulture);
        var next = version == int.MaxValue ? 1 : version + 1;
        return (legacyTag ? null : version, next);
    }

    /// <summary>The grain type and key as Orleans prints them (for a string-keyed grain, the key itself).</summary>
    public static (string GrainType, string GrainKey) KeyOf(GrainId grainId) => (grainId.Type.ToString()!, grainId.Key.ToString()!);

    private void AddKey(NpgsqlCommand command, string stateName, string grainType, string grainKey)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
    }

    /// <summary>The conflict, naming the grain with a phone-number key masked (the message reaches logs).</summary>
    private InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? etag)
    {
        var (grainType, grainKey) = KeyOf(grainId);
        var shown = grainKey.StartsWith('+') ? Pool.Sms.Numbers.E164.Mask(grainKey) : grainKey;
        return new($"Version conflict ({operation}): provider {name}, state {stateName}, grain {grainType}/{shown}, ETag {etag ?? "none"}: another activation changed the row");
    }

    private T Create<T>() => activators.GetActivator<T>().Create();

    /// <summary>The provider's own connections, preparing its few statements on each (they run thousands of times).</summary>
    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 8;
            builder.AutoPrepareMinUsages = 2;
        }

        // Named, so the connection string never becomes a metric label or span tag.
        return new NpgsqlDataSourceBuilder(builder.ConnectionString) { Name = "pool-grain-storage" }.Build();
    }

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "OrleansStorage holds grain states of service {ServiceId} written by an earlier release: a grain without a grain_state row is read from there until its first write")]
    private static partial void LogLegacyRows(ILogger logger, string serviceId);
}
