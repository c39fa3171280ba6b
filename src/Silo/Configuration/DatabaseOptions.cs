namespace Pool.Silo.Configuration;

/// <summary>Section "Pool:Database": where Pool keeps its state (clustering, grain state, reminders, inventory).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Pool:Database";

    /// <summary>Npgsql connection string, e.g. "Host=127.0.0.1;Port=7432;Database=pool;Username=pool".</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending schema migrations when the host starts (local runs); production runs the migrate job instead.</summary>
    public bool MigrateOnStart { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return $"{Section}:ConnectionString is required (an Npgsql connection string, e.g. Host=127.0.0.1;Port=7432;Database=pool;Username=pool)";
            yield break;
        }

        string? problem = null;
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            yield return $"{Section}:ConnectionString is not a valid Npgsql connection string: {problem}";
        }
    }
}
