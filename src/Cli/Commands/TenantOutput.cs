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
        ["key id", "role", "label", "created", "expires", "revoked", "allowed from"],
        key => [key.KeyId, RoleName(key.Role), key.Label, Output.Time(key.CreateTime), Output.Time(key.ExpireTime), Output.Time(key.RevokeTime), Allowlist(key)]);

    /// <summary>The role as operators type it ("tenant-readonly").</summary>
    public static string RoleName(ApiKeyRole role) => role switch
    {
        ApiKeyRole.Admin => "admin",
        ApiKeyRole.Operator => "operator",
        ApiKeyRole.Auditor => "auditor",
        ApiKeyRole.Tenant => "tenant",
        ApiKeyRole.TenantReadonly => "tenant-readonly",
        _ => "unspecified",
    };

    private static string Allowlist(ApiKey key) => key.AllowedCidrs.Count == 0 ? "any address" : string.Join(", ", key.AllowedCidrs);

    /// <summary>
    /// A new key: for scripts the whole response; for people its metadata, then the secret on a line of its
    /// own (no table border to wrap or copy along), then a warning that it is not shown again.
    /// </summary>
    public static void CreatedKey(CliContext context, ApiKey? key, string secret, Google.Protobuf.IMessage response)
    {
        if (context.Json)
        {
            context.Output.WriteLine(Output.Json(response));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        Fill(table, key ?? new ApiKey());
        context.Console.Write(table);
        context.Output.WriteLine($"secret: {secret}");
        context.Error.WriteLine("warning: the secret is shown this once and never again (Pool keeps only its hash); store it now. "
            + "Send it as 'authorization: Bearer <secret>', or give it to poolctl with --api-key or POOL_API_KEY.");
    }

    private static void Fill(Table table, ApiKey key)
    {
        table.AddRow("key id", Markup.Escape(key.KeyId));
        table.AddRow("tenant", Markup.Escape(key.Tenant));
        table.AddRow("role", RoleName(key.Role));
        table.AddRow("label", Markup.Escape(key.Label));
        table.AddRow("created", Output.Time(key.CreateTime));
        table.AddRow("expires", key.ExpireTime is null ? "never" : Output.Time(key.ExpireTime));
        table.AddRow("allowed from", Markup.Escape(Allowlist(key)));
        if (key.RotatedFrom.Length > 0)
        {
            table.AddRow("replaces", Markup.Escape(key.RotatedFrom));
        }

        if (key.RevokeTime is not null)
        {
            table.AddRow("revoked", Output.Time(key.RevokeTime));
        }
    }
}
