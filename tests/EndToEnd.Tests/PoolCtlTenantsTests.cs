using Pool.Cli;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl tenants and keys, and poolctl calling Pool with a key, no key, a tenant key or a revoked key.</summary>
[Collection(PoolCtlTestGroup.Name)]
public sealed class PoolCtlTenantsTests(PoolFixture fixture)
{
    private const string NoKeyHint = "hint: pass --api-key, set POOL_API_KEY, or run scripts/poolctl (it uses the local admin key)";
    private const string KeyShape = "^pool_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$";

    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    private Task<PoolCtlRun> RunAsAsync(string? apiKey, params string[] args) => PoolCtlRunner.RunAsAsync(fixture, apiKey, args);

    private static string NewTenant() => $"t-{Guid.NewGuid():n}"[..14];

    /// <summary>A new tenant and a key of it, made with the admin key: (tenant, key id, secret).</summary>
    private async Task<(string Tenant, string KeyId, string Secret)> TenantWithKeyAsync(params string[] keyOptions)
    {
        var tenant = NewTenant();
        var created = await RunAsync("tenants", "create", tenant, "--name", $"Tenant {tenant}");
        Assert.Equal((0, ""), (created.Exit, created.Err));
        var key = await RunAsync(["--json", "keys", "create", tenant, .. keyOptions]);
        Assert.Equal((0, ""), (key.Exit, key.Err));
        return (tenant, key.Json.GetProperty("key").GetProperty("keyId").GetString()!, key.Json.GetProperty("secret").GetString()!);
    }

    [Fact]
    public async Task Tenants_create_then_list_shows_the_tenant_with_its_name()
    {
        var tenant = NewTenant();

        var created = await RunAsync("--json", "tenants", "create", tenant, "--name", "Acme Ltd");
        var again = await RunAsync("--json", "tenants", "create", tenant, "--name", "Acme Ltd");
        var listed = await RunAsync("--json", "tenants", "list");
        var table = await RunAsync("tenants", "list");

        Assert.Equal((0, ""), (created.Exit, created.Err));
        Assert.Equal(tenant, created.Json.GetProperty("tenant").GetString());
        Assert.Equal("Acme Ltd", created.Json.GetProperty("name").GetString());
        Assert.True(created.Json.GetProperty("createTime").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5), "the tenant is stamped with its creation time");
        Assert.True(again.Exit == 0, $"creating the same tenant again returns it: {again}");
        Assert.Equal(0, listed.Exit);
        var row = Assert.Single(listed.JsonLines, line => line.GetProperty("tenant").GetString() == tenant);
        Assert.Equal("Acme Ltd", row.GetProperty("name").GetString());
        Assert.Contains(listed.JsonLines, line => line.GetProperty("tenant").GetString() == "operators");
        Assert.Matches($@"{tenant}\s*│\s*Acme Ltd\s*│\s*\d{{4}}-", table.Out);
    }

    [Fact]
    public async Task Keys_create_prints_the_secret_once_in_the_pool_key_shape_with_a_warning()
    {
        var tenant = NewTenant();
        await RunAsync("tenants", "create", tenant, "--name", "Acme Ltd");

        var human = await RunAsync("keys", "create", tenant, "--label", "checkout service");
        var json = await RunAsync("--json", "keys", "create", tenant, "--admin");

        Assert.Equal(0, human.Exit);
        var secretLine = Assert.Single(human.Out.Split('\n'), line => line.StartsWith("secret: ", StringComparison.Ordinal));
        var secret = secretLine["secret: ".Length..].Trim();
        Assert.Matches(KeyShape, secret);
        var keyId = secret[..17];
        Assert.Matches($@"key id\s*│\s*{keyId}\s", human.Out);
        Assert.Matches(@"role\s*│\s*tenant\s", human.Out);
        Assert.Matches(@"label\s*│\s*checkout service\s", human.Out);
        Assert.Equal(1, CountOf(secret, human.Out + human.Err));
        Assert.Contains("warning: the secret is shown this once and never again", human.Err, StringComparison.Ordinal);

        Assert.Equal((0, ""), (json.Exit, json.Err));
        var adminSecret = json.Json.GetProperty("secret").GetString()!;
        Assert.Matches(KeyShape, adminSecret);
        var key = json.Json.GetProperty("key");
        Assert.Equal(adminSecret[..17], key.GetProperty("keyId").GetString());
        Assert.Equal(tenant, key.GetProperty("tenant").GetString());
        Assert.Equal("API_KEY_SCOPE_ADMIN", key.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Keys_list_shows_ids_and_scopes_but_never_a_secret()
    {
        var (tenant, tenantKeyId, tenantSecret) = await TenantWithKeyAsync("--label", "app");
        var admin = await RunAsync("--json", "keys", "create", tenant, "--admin", "--label", "ops");
        var adminKeyId = admin.Json.GetProperty("key").GetProperty("keyId").GetString()!;
        var adminSecret = admin.Json.GetProperty("secret").GetString()!;

        var json = await RunAsync("--json", "keys", "list", tenant);
        var table = await RunAsync("keys", "list", tenant);

        Assert.Equal((0, ""), (json.Exit, json.Err));
        Assert.Equal(
            new[] { adminKeyId, tenantKeyId }.Order(StringComparer.Ordinal),
            json.JsonLines.Select(key => key.GetProperty("keyId").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(json.JsonLines, key => Assert.False(key.TryGetProperty("secret", out _), "a listed key carries no secret"));
        Assert.Equal(0, table.Exit);
        Assert.Matches($@"{tenantKeyId}\s*│\s*tenant\s*│\s*app\s*│", table.Out);
        Assert.Matches($@"{adminKeyId}\s*│\s*admin\s*│\s*ops\s*│", table.Out);
        foreach (var secret in new[] { tenantSecret, adminSecret })
        {
            var secretPart = secret[18..];
            Assert.DoesNotContain(secretPart, json.Out + json.Err + table.Out + table.Err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_revoked_key_is_refused_with_exit_7_and_a_hint()
    {
        var (tenant, keyId, secret) = await TenantWithKeyAsync();
        var before = await RunAsAsync(secret, "leases", "list");

        var revoked = await RunAsync("--json", "keys", "revoke", keyId);
        var listed = await RunAsync("keys", "list", tenant);
        var refused = await Eventually.ReturnsAsync(
            () => RunAsAsync(secret, "leases", "list"),
            run => run.Exit != ExitCodes.Ok,
            TimeSpan.FromSeconds(20),
            $"the revoked key {keyId} to be refused (revocations apply within 10 s)");

        Assert.True(before.Exit == 0, $"the key works before it is revoked: {before}");
        Assert.Equal((0, ""), (revoked.Exit, revoked.Err));
        Assert.Equal(keyId, revoked.Json.GetProperty("keyId").GetString());
        Assert.True(revoked.Json.TryGetProperty("revokeTime", out var revokeTime) && revokeTime.GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5), $"the answer says when it was revoked: {revoked}");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(listed.Out, $@"{keyId}\s*│\s*tenant\s*│\s*│\s*\d{{4}}-\S+ \S+\s*│\s*│\s*\d{{4}}-"), listed.Out);
        Assert.Equal(ExitCodes.NotAllowed, refused.Exit);
        Assert.StartsWith("error: Unauthenticated: ", refused.Err, StringComparison.Ordinal);
        Assert.Contains("revoked", refused.Err, StringComparison.Ordinal);
        Assert.Contains("hint: the API key was refused", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[18..], refused.Out + refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_revoke_given_a_whole_key_revokes_it_by_its_id_without_echoing_the_secret()
    {
        var (_, keyId, secret) = await TenantWithKeyAsync();

        var revoked = await RunAsync("keys", "revoke", secret);

        Assert.Equal((0, ""), (revoked.Exit, revoked.Err));
        Assert.Matches($@"key id\s*│\s*{keyId}\s", revoked.Out);
        Assert.Matches(@"revoked\s*│\s*\d{4}-", revoked.Out);
        Assert.DoesNotContain(secret[18..], revoked.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_key_on_an_operator_command_is_denied_with_exit_7_and_an_admin_key_hint()
    {
        var (_, _, secret) = await TenantWithKeyAsync();

        var denied = await RunAsAsync(secret, "pools", "list");

        Assert.Equal(ExitCodes.NotAllowed, denied.Exit);
        Assert.Equal("", denied.Out);
        Assert.StartsWith("error: PermissionDenied: ", denied.Err, StringComparison.Ordinal);
        Assert.Contains("hint: the key given may not make this call", denied.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[18..], denied.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_key_is_unauthenticated_with_exit_7_and_says_how_to_pass_one()
    {
        var refused = await RunAsAsync(null, "pools", "list");

        Assert.Equal(ExitCodes.NotAllowed, refused.Exit);
        Assert.StartsWith("error: Unauthenticated: ", refused.Err, StringComparison.Ordinal);
        Assert.Contains(NoKeyHint, refused.Err.Split('\n').Select(line => line.TrimEnd('\r')));
    }

    [Fact]
    public async Task A_key_is_read_trimmed_from_the_file_named_by_POOL_API_KEY_FILE()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, $"  {fixture.AdminKey}\n\n");
        try
        {
            var listed = await PoolCtlRunner.RunAsAsync(
                fixture, null, ["tenants", "list"], environment: name => name == ApiKeySource.KeyFileEnvironmentVariable ? file : null);
            var overridden = await PoolCtlRunner.RunAsAsync(
                fixture, null, ["tenants", "list"], environment: name => name switch
                {
                    ApiKeySource.KeyEnvironmentVariable => "pool_000000000000_not-a-key",
                    ApiKeySource.KeyFileEnvironmentVariable => file,
                    _ => null,
                });

            Assert.True(listed.Exit == 0, $"the key from the file is sent: {listed}");
            Assert.Equal(ExitCodes.NotAllowed, overridden.Exit);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_tenant_key_can_lease_and_release_numbers_an_operator_added()
    {
        var (_, _, secret) = await TenantWithKeyAsync();
        var (pool, numbers) = PoolFixture.NewPool(1);
        var added = await RunAsync("numbers", "add", "-c", "HK", "-p", pool, numbers[0]);

        var leased = await RunAsAsync(secret, "--json", "lease", "-c", "HK", "-p", pool, "-s", "telegram");
        var leaseId = leased.Json.GetProperty("leaseId").GetString()!;
        var released = await RunAsAsync(secret, "--json", "release", leaseId);

        Assert.Equal((0, ""), (added.Exit, added.Err));
        Assert.Equal((0, ""), (leased.Exit, leased.Err));
        Assert.Equal(numbers[0], leased.Json.GetProperty("number").GetString());
        Assert.Equal((0, ""), (released.Exit, released.Err));
        Assert.Equal("LEASE_STATE_ENDED", released.Json.GetProperty("state").GetString());
    }

    private static int CountOf(string text, string within)
    {
        var count = 0;
        for (var at = within.IndexOf(text, StringComparison.Ordinal); at >= 0; at = within.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
