using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>Prints tenants and their API keys; a key's secret only ever through <see cref="CreatedKey"/>.</summary>
internal static class TenantOutput
{
    public static void Tenant(CliContext context, Tenant tenant) => Output.Print(context, tenant, table =>
    {
        table.AddRow("tenant", Markup.Escape(tenant.Tenant_));
        table.AddRow("name", Markup.Escape(tenant.Name));
        table.AddRow("created", Output.Time(tenant.CreateTime));
        if (tenant.Limits is { } limits)
        {
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            table.AddRow("requests/s", limits.RequestsPerSecond.ToString(invariant));
            table.AddRow("max active leases", limits.MaxActiveLeases.ToString(invariant));
            table.AddRow("anti-scan", Markup.Escape(
                $"throttle for {Durations.Format(limits.ScanCooloff?.ToTimeSpan() ?? TimeSpan.Zero)} when {limits.ScanSilentPercent}% of the last {limits.ScanWindow} leases had no SMS (from {limits.ScanMinLeases} leases)"));
        }
    });

    public static void Tenants(CliContext context, IReadOnlyCollection<Tenant> tenants) => Output.Rows(
        context,
        tenants,
        "no tenants",
        ["tenant", "name", "created"],
        tenant => [tenant.Tenant_, tenant.Name, Output.Time(tenant.CreateTime)]);

    public static void Key(CliContext context, ApiKey key) => Output.Print(context, key, table => Fill(table, key));

    public static void Keys(CliContext context, IReadOnlyCollection<ApiKey> keys) => Output.Rows(
        context,
        keys,
        "no keys",
        ["key id", "scope", "label", "created", "revoked"],
        key => [key.KeyId, Output.Name(key.Scope), key.Label, Output.Time(key.CreateTime), Output.Time(key.RevokeTime)]);

    /// <summary>
    /// A new key: for scripts the whole response; for people its metadata, then the secret on a line of its
    /// own (no table border to wrap or copy along), then a warning that it is not shown again.
    /// </summary>
    public static void CreatedKey(CliContext context, CreateApiKeyResponse created)
    {
        if (context.Json)
        {
            context.Output.WriteLine(Output.Json(created));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        Fill(table, created.Key ?? new ApiKey());
        context.Console.Write(table);
        context.Output.WriteLine($"secret: {created.Secret}");
        context.Error.WriteLine("warning: the secret is shown this once and never again (Pool keeps only its hash); store it now. "
            + "Send it as 'authorization: Bearer <secret>', or give it to poolctl with --api-key or POOL_API_KEY.");
    }

    private static void Fill(Table table, ApiKey key)
    {
        table.AddRow("key id", Markup.Escape(key.KeyId));
        table.AddRow("tenant", Markup.Escape(key.Tenant));
        table.AddRow("scope", Output.Name(key.Scope));
        table.AddRow("label", Markup.Escape(key.Label));
        table.AddRow("created", Output.Time(key.CreateTime));
        if (key.RevokeTime is not null)
        {
            table.AddRow("revoked", Output.Time(key.RevokeTime));
        }
    }
}
