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
}
