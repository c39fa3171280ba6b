using Npgsql;
using Pool.Contracts.Routes;

namespace Pool.Grains.Routes;

/// <summary>
/// The routes and route_tables tables: a projection of the route and table grains' state, written
/// after each grain write, so operators can list them. The grains' state is the truth.
/// </summary>
public sealed class RouteStore(NpgsqlDataSource dataSource)
{
    public async Task UpsertRouteAsync(RouteDefinition route, RouteOverride value, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO routes (route_id, connection, countries, prefixes, cost, priority, enabled, override, updated_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (route_id) DO UPDATE SET connection = $2, countries = $3, " +
            "prefixes = $4, cost = $5, priority = $6, enabled = $7, override = $8, updated_at = $9");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = route.RouteId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = route.Connection });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. route.Countries] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. route.Prefixes] });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = route.Cost });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = route.Priority });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = route.Enabled });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value.ToString().ToLowerInvariant() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = updatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UpsertTableAsync(RouteTable table, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO route_tables (country, primary_routes, secondary_routes, updated_at) VALUES ($1, $2, $3, $4) " +
            "ON CONFLICT (country) DO UPDATE SET primary_routes = $2, secondary_routes = $3, updated_at = $4");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.Country });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. table.Primary] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. table.Secondary] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = table.UpdatedAt ?? DateTimeOffset.UtcNow });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListRouteIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT route_id FROM routes ORDER BY route_id");
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<IReadOnlyList<RouteTable>> ListTablesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT country, primary_routes, secondary_routes, updated_at FROM route_tables ORDER BY country");
        var tables = new List<RouteTable>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(new RouteTable(reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return tables;
    }
}
