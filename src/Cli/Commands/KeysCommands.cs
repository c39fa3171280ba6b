using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl keys issue|list|revoke|rotate: tenants' API keys (an admin key is needed).</summary>
internal static class KeysCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var keys = new Command("keys", "Issue, list, rotate and revoke tenants' API keys (needs an admin key).");
        keys.Subcommands.Add(Issue(context));
        keys.Subcommands.Add(List(context));
        keys.Subcommands.Add(Revoke(context));
        keys.Subcommands.Add(Rotate(context));
        return keys;
    }

    private static Argument<string> TenantArgument(string description) => new("tenant") { Description = description };

    /// <summary>The roles as operators type them, in the order of the README's table.</summary>
    private static readonly string[] s_roles = ["admin", "operator", "auditor", "tenant", "tenant-readonly"];

    private static Option<string?> ExpiresOption(string what) => new("--expires")
    {
        Description = $"When {what} stops working: a duration from now (90d, 12h) or a UTC time (2027-01-31T00:00:00Z). Default: never.",
    };

    private static Command Issue(Func<CliContext> context)
    {
        var tenant = TenantArgument("The tenant the key acts for.");
        var role = new Option<string?>("--role")
        {
            Description = "What the key may do: admin, operator, auditor, tenant or tenant-readonly (default: tenant).",
        };
        role.AcceptOnlyFromAmong(s_roles);
        var admin = new Option<bool>("--admin") { Description = "Same as --role admin." };
        var label = new Option<string?>("--label") { Description = "What the key is for (up to 100 characters), shown in listings." };
        var expires = ExpiresOption("the key");
        var allow = new Option<string[]>("--allow")
        {
            Description = "A network calls with the key may come from, e.g. 10.0.0.0/8 or 2001:db8::/32 (repeatable). Default: any address.",
        };
        var command = new Command("issue", "Issue an API key; its secret is printed this once only.") { tenant, role, admin, label, expires, allow };
        command.Aliases.Add("create");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var roleName = parse.GetValue(role);
            if (parse.GetValue(admin) && roleName is not (null or "admin"))
            {
                await ctx.Error.WriteLineAsync($"error: --admin contradicts --role {roleName}; give one of them");
                return ExitCodes.Usage;
            }

            var request = new CreateApiKeyRequest
            {
                Tenant = parse.GetValue(tenant)!,
                Role = RoleOf(parse.GetValue(admin) ? "admin" : roleName ?? "tenant"),
                Label = parse.GetValue(label) ?? "",
                AllowedCidrs = { parse.GetValue(allow) ?? [] },
            };
            if (parse.GetValue(expires) is { } expiresText)
            {
                if (ExpiryOf(expiresText) is not { } at)
                {
                    await ctx.Error.WriteLineAsync($"error: --expires '{expiresText}' is neither a duration ({Durations.Hint}) nor a UTC time like 2027-01-31T00:00:00Z");
                    return ExitCodes.Usage;
                }

                request.ExpireTime = at;
            }

            var created = await new Tenants.TenantsClient(ctx.Invoker).CreateApiKeyAsync(request, cancellationToken: cancellationToken);
            TenantOutput.CreatedKey(ctx, created.Key, created.Secret, created);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rotate(Func<CliContext> context)
    {
        var keyId = new Argument<string>("key-id") { Description = "The live key to replace, e.g. pool_3f9a1c2b7d4e (never the secret)." };
        var overlap = new Option<string?>("--overlap") { Description = "How long the old key keeps working, from 0 to 30d. Default: 24h." };
        var expires = ExpiresOption("the new key");
        var command = new Command(
            "rotate",
            "Issue a new key with the old key's tenant, role, label and allowlist, and make the old key expire after the overlap; the new secret is printed this once only.")
        {
            keyId, overlap, expires,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new RotateApiKeyRequest { KeyId = KeyIdOf(parse.GetValue(keyId)!) };
            if (parse.GetValue(overlap) is { } overlapText)
            {
                if (!Durations.TryParse(overlapText, out var duration, allowZero: true))
                {
                    await ctx.Error.WriteLineAsync($"error: --overlap '{overlapText}' is not a duration; {Durations.Hint}, or 0");
                    return ExitCodes.Usage;
                }

                request.Overlap = Duration.FromTimeSpan(duration.Value);
            }

            if (parse.GetValue(expires) is { } expiresText)
            {
                if (ExpiryOf(expiresText) is not { } at)
                {
                    await ctx.Error.WriteLineAsync($"error: --expires '{expiresText}' is neither a duration ({Durations.Hint}) nor a UTC time like 2027-01-31T00:00:00Z");
                    return ExitCodes.Usage;
                }

                request.ExpireTime = at;
            }

            var rotated = await new Tenants.TenantsClient(ctx.Invoker).RotateApiKeyAsync(request, cancellationToken: cancellationToken);
            TenantOutput.CreatedKey(ctx, rotated.Key, rotated.Secret, rotated);
            if (!ctx.Json && rotated.Previous is { } previous)
            {
                ctx.Error.WriteLine($"the old key {previous.KeyId} keeps working until {Output.Time(previous.ExpireTime)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static ApiKeyRole RoleOf(string name) => name switch
    {
        "admin" => ApiKeyRole.Admin,
        "operator" => ApiKeyRole.Operator,
        "auditor" => ApiKeyRole.Auditor,
        "tenant-readonly" => ApiKeyRole.TenantReadonly,
        _ => ApiKeyRole.Tenant,
    };

    /// <summary>A duration from now or an absolute time with an offset (RFC 3339); null when it is neither.</summary>
    private static Timestamp? ExpiryOf(string text)
    {
        if (Durations.TryParse(text, out var duration))
        {
            return Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow + duration.Value);
        }

        return text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? Timestamp.FromDateTimeOffset(at)
            : null;
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
