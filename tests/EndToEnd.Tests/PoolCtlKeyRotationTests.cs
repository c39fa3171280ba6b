using Pool.Cli;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl keys issue with a role, expiry and allowlist, and poolctl keys rotate: both keys work during the overlap, the old one is refused after it.</summary>
[Collection(PoolCtlTestGroup.Name)]
public sealed class PoolCtlKeyRotationTests(PoolFixture fixture)
{
    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    private Task<PoolCtlRun> RunAsAsync(string apiKey, params string[] args) => PoolCtlRunner.RunAsAsync(fixture, apiKey, args);

    /// <summary>A new tenant and a key issued for it through poolctl with <paramref name="options"/>: (tenant, key id, secret).</summary>
    private async Task<(string Tenant, string KeyId, string Secret)> IssueAsync(params string[] options)
    {
        var tenant = $"rot-{Guid.NewGuid():n}"[..14];
        var created = await RunAsync("tenants", "create", tenant, "--name", tenant);
        Assert.Equal((0, ""), (created.Exit, created.Err));
        var issued = await RunAsync(["--json", "keys", "issue", tenant, .. options]);
        Assert.Equal((0, ""), (issued.Exit, issued.Err));
        return (tenant, issued.Json.GetProperty("key").GetProperty("keyId").GetString()!, issued.Json.GetProperty("secret").GetString()!);
    }

    [Fact]
    public async Task Keys_issue_takes_a_role_an_expiry_and_repeated_allow_networks_and_lists_them()
    {
        var (tenant, keyId, secret) = await IssueAsync("--role", "tenant-readonly", "--expires", "30d", "--allow", "127.0.0.0/8", "--allow", "::1/128", "--label", "reader");

        var json = await RunAsync("--json", "keys", "list", tenant);
        var table = await RunAsync("keys", "list", tenant);
        var read = await RunAsAsync(secret, "leases", "list");
        var lease = await RunAsAsync(secret, "lease", "--country", "HK", "--service", "telegram");

        var key = Assert.Single(json.JsonLines);
        Assert.Equal(keyId, key.GetProperty("keyId").GetString());
        Assert.Equal("API_KEY_ROLE_TENANT_READONLY", key.GetProperty("role").GetString());
        Assert.Equal(["127.0.0.0/8", "::1/128"], key.GetProperty("allowedCidrs").EnumerateArray().Select(c => c.GetString()));
        var expires = key.GetProperty("expireTime").GetDateTimeOffset();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(29.9), DateTimeOffset.UtcNow.AddDays(30.1));
        Assert.Matches($@"{keyId}\s*│\s*tenant-readonly\s*│\s*reader\s*│", table.Out);
        Assert.Contains("127.0.0.0/8, ::1/128", table.Out, StringComparison.Ordinal);
        Assert.True(read.Exit == ExitCodes.Ok, $"a tenant-readonly key lists its leases: {read}");
        Assert.Equal(ExitCodes.NotAllowed, lease.Exit);
        Assert.Contains("role tenant-readonly may not call pool.v1.Leases/CreateLease", lease.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_issue_refuses_a_bad_expiry_a_bad_role_and_admin_with_another_role_before_calling_pool()
    {
        var tenant = $"rot-{Guid.NewGuid():n}"[..14];

        var expiry = await RunAsync("keys", "issue", tenant, "--expires", "someday");
        var role = await RunAsync("keys", "issue", tenant, "--role", "root");
        var both = await RunAsync("keys", "issue", tenant, "--admin", "--role", "auditor");

        Assert.Equal(ExitCodes.Usage, expiry.Exit);
        Assert.Contains("--expires 'someday' is neither a duration", expiry.Err, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Ok, role.Exit);
        Assert.Contains("root", role.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, both.Exit);
        Assert.Contains("--admin contradicts --role auditor", both.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_rotate_issues_a_key_with_the_same_tenant_role_and_allowlist_and_both_work_during_the_overlap()
    {
        var (tenant, oldKeyId, oldSecret) = await IssueAsync("--role", "tenant", "--allow", "127.0.0.0/8", "--label", "app");
        var beforeRotation = await RunAsAsync(oldSecret, "leases", "list");

        var rotated = await RunAsync("--json", "keys", "rotate", oldKeyId, "--overlap", "1h");
        var newSecret = rotated.Json.GetProperty("secret").GetString()!;
        var newKey = rotated.Json.GetProperty("key");
        var previous = rotated.Json.GetProperty("previous");
        var withOld = await RunAsAsync(oldSecret, "leases", "list");
        var withNew = await RunAsAsync(newSecret, "leases", "list");
        var listed = await RunAsync("--json", "keys", "list", tenant);

        Assert.Equal(ExitCodes.Ok, beforeRotation.Exit);
        Assert.Equal((0, ""), (rotated.Exit, rotated.Err));
        Assert.NotEqual(oldKeyId, newKey.GetProperty("keyId").GetString());
        Assert.Equal(tenant, newKey.GetProperty("tenant").GetString());
        Assert.Equal("API_KEY_ROLE_TENANT", newKey.GetProperty("role").GetString());
        Assert.Equal("app", newKey.GetProperty("label").GetString());
        Assert.Equal(["127.0.0.0/8"], newKey.GetProperty("allowedCidrs").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(oldKeyId, newKey.GetProperty("rotatedFrom").GetString());
        Assert.False(newKey.TryGetProperty("expireTime", out _), "the new key has no expiry unless --expires is given");
        Assert.Equal(oldKeyId, previous.GetProperty("keyId").GetString());
        Assert.InRange(previous.GetProperty("expireTime").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.True(withOld.Exit == ExitCodes.Ok, $"the old key still works during the overlap: {withOld}");
        Assert.True(withNew.Exit == ExitCodes.Ok, $"the new key works at once: {withNew}");
        Assert.Equal(2, listed.JsonLines.Count);
    }

    [Fact]
    public async Task After_the_overlap_the_old_key_is_refused_as_expired_and_the_new_key_keeps_working()
    {
        var (_, oldKeyId, oldSecret) = await IssueAsync();
        Assert.Equal(ExitCodes.Ok, (await RunAsAsync(oldSecret, "leases", "list")).Exit);

        var rotated = await RunAsync("--json", "keys", "rotate", oldKeyId, "--overlap", "0");
        var newSecret = rotated.Json.GetProperty("secret").GetString()!;
        var refused = await Eventually.ReturnsAsync(
            () => RunAsAsync(oldSecret, "leases", "list"),
            run => run.Exit != ExitCodes.Ok,
            TimeSpan.FromSeconds(20),
            $"the old key {oldKeyId} to be refused once its overlap ended (key changes apply within 10 s)");
        var withNew = await RunAsAsync(newSecret, "leases", "list");

        Assert.Equal(ExitCodes.NotAllowed, refused.Exit);
        Assert.Matches($@"Unauthenticated: the API key {oldKeyId} expired at \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ", refused.Err);
        Assert.Contains("hint: the API key was refused (mistyped, unknown, revoked or expired)", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(oldSecret[18..], refused.Err, StringComparison.Ordinal);
        Assert.True(withNew.Exit == ExitCodes.Ok, $"the new key works: {withNew}");
    }

    [Fact]
    public async Task Rotating_again_never_makes_the_old_key_last_longer_and_the_human_output_says_until_when()
    {
        var (_, oldKeyId, _) = await IssueAsync();

        var first = await RunAsync("--json", "keys", "rotate", oldKeyId, "--overlap", "1h");
        var second = await RunAsync("keys", "rotate", oldKeyId, "--overlap", "10d");
        var firstExpiry = first.Json.GetProperty("previous").GetProperty("expireTime").GetDateTimeOffset();

        Assert.Equal(0, second.Exit);
        Assert.Contains($"the old key {oldKeyId} keeps working until {firstExpiry.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z", second.Err, StringComparison.Ordinal);
        Assert.Matches(@"secret: pool_[0-9a-f]{12}_", second.Out);
        Assert.Matches($@"replaces\s*│\s*{oldKeyId}", second.Out);
    }

    [Fact]
    public async Task Rotating_a_revoked_an_expired_or_an_unknown_key_or_with_a_bad_overlap_fails_with_a_reason()
    {
        var (_, revokedKeyId, _) = await IssueAsync();
        var (_, expiredKeyId, _) = await IssueAsync();
        await RunAsync("keys", "revoke", revokedKeyId);
        await RunAsync("keys", "rotate", expiredKeyId, "--overlap", "0");

        var revoked = await RunAsync("keys", "rotate", revokedKeyId);
        var expired = await RunAsync("keys", "rotate", expiredKeyId);
        var unknown = await RunAsync("keys", "rotate", "pool_0123456789ab");
        var badOverlap = await RunAsync("keys", "rotate", revokedKeyId, "--overlap", "soon");
        var longOverlap = await RunAsync("keys", "rotate", revokedKeyId, "--overlap", "31d");

        Assert.NotEqual(ExitCodes.Ok, revoked.Exit);
        Assert.Contains($"API key '{revokedKeyId}' was revoked at", revoked.Err, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Ok, expired.Exit);
        Assert.Contains($"API key '{expiredKeyId}' expired at", expired.Err, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Ok, unknown.Exit);
        Assert.Contains("NotFound: API key 'pool_0123456789ab' does not exist", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badOverlap.Exit);
        Assert.Contains("--overlap 'soon' is not a duration", badOverlap.Err, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Ok, longOverlap.Exit);
        Assert.Contains("overlap: must be from 0 to 30 days", longOverlap.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_admin_key_may_rotate_keys()
    {
        var (tenant, keyId, secret) = await IssueAsync("--role", "operator");

        var byOperator = await RunAsAsync(secret, "keys", "rotate", keyId);
        var listed = await RunAsync("--json", "keys", "list", tenant);

        Assert.Equal(ExitCodes.NotAllowed, byOperator.Exit);
        Assert.Contains("role operator may not call pool.v1.Tenants/RotateApiKey", byOperator.Err, StringComparison.Ordinal);
        Assert.Single(listed.JsonLines);
    }
}
