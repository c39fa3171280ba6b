using System.CommandLine;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl keys create|list|revoke: a tenant's API keys (operator commands: an admin key is needed).</summary>
internal static class KeysCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var keys = new Command("keys", "Issue, list and revoke tenants' API keys (needs an admin key).");
        keys.Subcommands.Add(CreateKey(context));
        keys.Subcommands.Add(List(context));
        keys.Subcommands.Add(Revoke(context));
        return keys;
    }

    private static Argument<string> TenantArgument(string description) => new("tenant") { Description = description };

    private static Command CreateKey(Func<CliContext> context)
    {
        var tenant = TenantArgument("The tenant the key acts for.");
        var admin = new Option<bool>("--admin") { Description = "An admin key: operator commands as well as leases. Default: a tenant key, for the tenant's own leases." };
        var label = new Option<string?>("--label") { Description = "What the key is for (up to 100 characters), shown in listings." };
        var command = new Command("create", "Issue an API key; its secret is printed this once only.") { tenant, admin, label };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new CreateApiKeyRequest
            {
                Tenant = parse.GetValue(tenant)!,
                Scope = parse.GetValue(admin) ? ApiKeyScope.Admin : ApiKeyScope.Tenant,
                Label = parse.GetValue(label) ?? "",
            };
            var created = await new Tenants.TenantsClient(ctx.Invoker).CreateApiKeyAsync(request, cancellationToken: cancellationToken);
            TenantOutput.CreatedKey(ctx, created);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Func<CliContext> context)
    {
        var tenant = TenantArgument("The tenant whose keys to list.");
        var command = new Command("list", "List a tenant's keys: ids and metadata, never secrets.") { tenant };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Tenants.TenantsClient(ctx.Invoker).ListApiKeysAsync(new ListApiKeysRequest { Tenant = parse.GetValue(tenant)! }, cancellationToken: cancellationToken);
            TenantOutput.Keys(ctx, response.Keys);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(Func<CliContext> context)
    {
        var keyId = new Argument<string>("key-id") { Description = "The key's id, e.g. pool_3f9a1c2b7d4e (never the secret)." };
        var command = new Command("revoke", "Revoke a key for good; every API process refuses it within 10 seconds.") { keyId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new RevokeApiKeyRequest { KeyId = KeyIdOf(parse.GetValue(keyId)!) };
            var revoked = await new Tenants.TenantsClient(ctx.Invoker).RevokeApiKeyAsync(request, cancellationToken: cancellationToken);
            TenantOutput.Key(ctx, revoked);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The key id of a whole key pasted by mistake ("pool_" + 12 hex + "_" + secret), so the secret is never sent or echoed back.</summary>
    internal static string KeyIdOf(string keyOrId) =>
        keyOrId.StartsWith(KeyIdPrefix, StringComparison.Ordinal) && keyOrId.Length > KeyIdLength && keyOrId[KeyIdLength] == '_'
            ? keyOrId[..KeyIdLength]
            : keyOrId;

    private const string KeyIdPrefix = "pool_";
    private const int KeyIdLength = 17;
}
