using Npgsql;
using Orleans.Concurrency;
using Pool.Contracts.Audit;

namespace Pool.Grains.Audit;

/// <summary>Appends audit rows that go with no state change, and reads the log for the Audit RPC.</summary>
[StatelessWorker] // No state: one insert or query per call, served on the caller's silo, several at once.
public sealed class AuditLogGrain(NpgsqlDataSource dataSource, AuditStore store) : Grain, IAuditLogGrain
{
    public Task AppendAsync(AuditRecord record) => AuditRows.AppendAsync(dataSource, record);

    public Task<AuditPage> ListAsync(AuditQuery query) => store.ListAsync(query);
}
