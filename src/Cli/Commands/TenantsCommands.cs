using System.CommandLine;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl tenants create|list: who may call Pool (operator commands: an admin key is needed).</summary>
internal static class TenantsCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var tenants = new Command("tenants", "Create tenants and list them (needs an admin key).");
        tenants.Subcommands.Add(CreateTenant(context));
        tenants.Subcommands.Add(List(context));
        tenants.Subcommands.Add(Show(context));
        tenants.Subcommands.Add(Limits(context));
        return tenants;
    }

    private static Command CreateTenant(Func<CliContext> context)
    {
        var tenant = new Argument<string>("tenant") { Description = "The new tenant's id: 1-40 lowercase letters, digits and '-'." };
        var name = new Option<string>("--name") { Description = "Its display name, e.g. \"Acme Ltd\".", Required = true };
        var command = new Command("create", "Create a tenant (creating it again with the same name returns it).") { tenant, name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new CreateTenantRequest { Tenant = parse.GetValue(tenant)!, Name = parse.GetValue(name)! };
            var created = await new Tenants.TenantsClient(ctx.Invoker).CreateTenantAsync(request, cancellationToken: cancellationToken);
            TenantOutput.Tenant(ctx, created);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Func<CliContext> context)
    {
        var command = new Command("list", "List tenants by id.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Tenants.TenantsClient(ctx.Invoker).ListTenantsAsync(new ListTenantsRequest(), cancellationToken: cancellationToken);
            TenantOutput.Tenants(ctx, response.Tenants);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Func<CliContext> context)
    {
        var tenant = new Argument<string>("tenant") { Description = "The tenant's id." };
        var command = new Command("show", "Show a tenant and its limits.") { tenant };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var shown = await new Tenants.TenantsClient(ctx.Invoker).GetTenantAsync(new GetTenantRequest { Tenant = parse.GetValue(tenant)! }, cancellationToken: cancellationToken);
            TenantOutput.Tenant(ctx, shown);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Limits(Func<CliContext> context)
    {
        var tenant = new Argument<string>("tenant") { Description = "The tenant's id." };
        var rps = WholeNumbers.Optional("--requests-per-second", "Calls per second per API process (default 50).");
        var active = WholeNumbers.Optional("--max-active-leases", "Leases open at the same time (default 100).");
        var window = WholeNumbers.Optional("--scan-window", "Anti-scan: most recent ended leases looked at (default 50).");
        var minimum = WholeNumbers.Optional("--scan-min-leases", "Anti-scan: ended leases needed before judging (default 20).");
        var percent = WholeNumbers.Optional("--scan-silent-percent", "Anti-scan: share of leases without SMS that throttles (default 90).");
        var cooloff = new Option<string?>("--scan-cooloff") { Description = "Anti-scan: how long the throttle lasts: 10m, 1h (default 10m)." };
        var command = new Command("limits", "Set a tenant's limits; options left out keep their current value.") { tenant, rps, active, window, minimum, percent, cooloff };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var client = new Tenants.TenantsClient(ctx.Invoker);
            var current = await client.GetTenantAsync(new GetTenantRequest { Tenant = parse.GetValue(tenant)! }, cancellationToken: cancellationToken);
            var limits = current.Limits ?? new TenantLimits();
            if (parse.GetValue(rps) is { } r)
            {
                limits.RequestsPerSecond = r;
            }

            if (parse.GetValue(active) is { } a)
            {
                limits.MaxActiveLeases = a;
            }

            if (parse.GetValue(window) is { } w)
            {
                limits.ScanWindow = w;
            }

            if (parse.GetValue(minimum) is { } m)
            {
                limits.ScanMinLeases = m;
            }

            if (parse.GetValue(percent) is { } p)
            {
                limits.ScanSilentPercent = p;
            }

            if (parse.GetValue(cooloff) is { } text)
            {
                if (!Durations.TryParse(text, out var duration))
                {
                    await ctx.Error.WriteLineAsync($"error: --scan-cooloff '{text}' is not a duration; use 90s, 10m, 1h");
                    return ExitCodes.Usage;
                }

                limits.ScanCooloff = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(duration.Value);
            }

            var updated = await client.UpdateTenantLimitsAsync(new UpdateTenantLimitsRequest { Tenant = current.Tenant_, Limits = limits }, cancellationToken: cancellationToken);
            TenantOutput.Tenant(ctx, updated);
            return ExitCodes.Ok;
        });
        return command;
    }
}
