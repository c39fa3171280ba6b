using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Rpc;
using Grpc.Core;
using Npgsql;
using Pool.Cli;
using Pool.Sms.Numbers;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// A Pool with the embedded carrier simulator (its SMSCs send delivery receipts), verification keys and
/// a Hong Kong route, so verifications are really sent, delivered and checked before they are erased.
/// </summary>
public sealed partial class ErasureFixture() : HostFixture("er")
{
    public const string Route = "hk-sim";

    /// <summary>The simulated SMSC (and SMPP connection) the route sends on.</summary>
    public const string Smsc = "sim-a";

    private int _numbers;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Pool:Simulator:Enabled"] = "true",
        ["Pool:Verification:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Pool:Verification:IndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Eventually.ReturnsAsync(
            async () => (await new Simulator.SimulatorClient(Admin).ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest())).Routes.Count(r => r.BoundSessions > 0),
            bound => bound == 2, TimeSpan.FromSeconds(60), "the silo bound to both simulated SMSCs");
        var routes = new Routes.RoutesClient(Admin);
        await routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = Route, Connection = Smsc, Countries = { "HK" } });
        await routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "HK", Primary = { Route } });
    }

    /// <summary>A valid Hong Kong number no other test uses, in a 7-digit prefix of its own.</summary>
    public string NewNumber()
    {
        var n = Interlocked.Increment(ref _numbers);
        return $"+8526{n:D2}{n:D5}";
    }

    public Task<(CallInvoker Client, string Key)> TenantAsync() => NewTenantAsync("er-t");

    public Task<PoolCtlRun> PoolCtlAsync(string key, params string[] args) => PoolCtlRunner.RunOnAsync(Pool, key, args);

    /// <summary>The code of the newest SMS the simulated handset of <paramref name="number"/> got.</summary>
    public async Task<string> CodeSentToAsync(string number, int sends = 1)
    {
        var masked = E164.Mask(number);
        var sms = await Eventually.ReturnsAsync(
            async () => (await new Simulator.SimulatorClient(Admin).ListSimulatedHandsetAsync(new ListSimulatedHandsetRequest { Route = Smsc, Limit = 500 })).Messages
                .Where(m => m.To == masked).ToList(),
            messages => messages.Count >= sends, TimeSpan.FromSeconds(20), $"{sends} SMS on the handset of {masked}");
        return Code().Match(sms[0].Text).Value;
    }

    [GeneratedRegex(@"\d{4,10}")]
    private static partial Regex Code();
}

/// <summary>
/// pool.v1.Privacy/EraseEndUser and `poolctl erase end-user` (GDPR art. 17): what is left of an end
/// user's number in every table afterwards, what survives for reports, the audit row, and refusals.
/// </summary>
public sealed class ErasureTests(ErasureFixture fixture) : IClassFixture<ErasureFixture>
{
    private static readonly string[] s_countFields =
        ["activeVerificationsCanceled", "verificationsAnonymised", "verificationStatesAnonymised", "outboundMessagesAnonymised", "receiptsAnonymised", "legacyStatesDeleted"];

    private NpgsqlConnection Connect() => fixture.Database.Connect();

    private static async Task<VerificationInfo> StartAsync(CallInvoker tenant, string to) =>
        await new Verification.VerificationClient(tenant).StartVerificationAsync(new StartVerificationRequest { To = to });

    private async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object[] parameters)
    {
        await using var connection = Connect();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Every (table.column) of type bytea in the database whose value contains <paramref name="needle"/>.</summary>
    private async Task<List<string>> BytesHoldingAsync(byte[] needle)
    {
        var columns = await ListAsync(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'bytea'",
            r => (Table: r.GetString(0), Column: r.GetString(1)));
        var holding = new List<string>();
        foreach (var (table, column) in columns)
        {
            var hits = await ListAsync($"SELECT count(*) FROM \"{table}\" WHERE position($1 in \"{column}\") > 0", r => r.GetInt64(0), needle);
            if (hits[0] > 0)
            {
                holding.Add($"{table}.{column}");
            }
        }

        return holding;
    }

    /// <summary>Every table whose rows, printed as text, contain <paramref name="text"/>.</summary>
    private async Task<List<string>> TablesHoldingTextAsync(string text)
    {
        var tables = await ListAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", r => r.GetString(0));
        var holding = new List<string>();
        foreach (var table in tables)
        {
            var hits = await ListAsync($"SELECT count(*) FROM \"{table}\" t WHERE strpos(t::text, $1) > 0", r => r.GetInt64(0), text);
            if (hits[0] > 0)
            {
                holding.Add(table);
            }
        }

        return holding;
    }

    private static Dictionary<string, int> Counts(PoolCtlRun run)
    {
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        return s_countFields.ToDictionary(f => f, f => run.Json.GetProperty(f).GetInt32());
    }

    /// <summary>The outbound references of <paramref name="ids"/>, as one array parameter.</summary>
    private static string[] References(IEnumerable<string> ids) => ids.Select(id => "verification:" + id).ToArray();

    private async Task<long> AuditedErasuresAsync() =>
        (await ListAsync("SELECT count(*) FROM audit WHERE action = 'end_user.erase'", r => r.GetInt64(0)))[0];

    private async Task WaitForReceiptsAsync(IReadOnlyCollection<string> verificationIds, int parts)
    {
        string[] references = [.. verificationIds.Select(id => "verification:" + id)];
        await Eventually.ReturnsAsync(
            async () => (await ListAsync("SELECT count(*) FROM outbound_messages WHERE reference = ANY($1) AND status = 'delivered'", r => r.GetInt64(0), (object)references))[0],
            delivered => delivered == parts, TimeSpan.FromSeconds(30), $"{parts} outbound messages delivered (their receipts stored)");
    }

    [Fact]
    public async Task Erasing_an_end_user_cancels_pending_verifications_and_leaves_no_trace_of_the_number_while_counts_and_reports_survive()
    {
        var (tenantA, _) = await fixture.TenantAsync();
        var (tenantB, _) = await fixture.TenantAsync();
        var a = new Verification.VerificationClient(tenantA);
        var number = fixture.NewNumber();
        var other = fixture.NewNumber();

        // Approved (sent, delivered, checked), pending after a resend, and pending at another tenant.
        var approved = await StartAsync(tenantA, number);
        var code = await fixture.CodeSentToAsync(number);
        Assert.True((await a.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = approved.VerificationId, Code = code })).Valid);
        var resent = await StartAsync(tenantA, number);
        await a.ResendVerificationAsync(new ResendVerificationRequest { VerificationId = resent.VerificationId });
        var atB = await StartAsync(tenantB, number);
        var bystander = await StartAsync(tenantA, other);
        string[] ids = [approved.VerificationId, resent.VerificationId, atB.VerificationId];
        await WaitForReceiptsAsync(ids, parts: 4);

        var before = await ListAsync(
            "SELECT to_hash, to_encrypted FROM verifications WHERE verification_id = ANY($1)", r => (Hash: (byte[])r[0], Cipher: (byte[])r[1]), (object)ids);
        var carrierIds = await ListAsync(
            "SELECT carrier_message_id FROM outbound_messages WHERE reference = ANY($1)", r => r.GetString(0), (object)References(ids));
        var receipts = (await ListAsync(
            "SELECT count(*) FROM status_reports s JOIN outbound_messages o ON o.outbound_id = s.outbound_id WHERE o.reference = ANY($1)",
            r => r.GetInt64(0), (object)References(ids)))[0];
        var bystanderHash = (await ListAsync("SELECT to_hash FROM verifications WHERE verification_id = $1", r => (byte[])r[0], bystander.VerificationId))[0];
        Assert.Equal(3, before.Count);
        Assert.Single(before.Select(b => Convert.ToHexString(b.Hash)).Distinct());
        Assert.Equal(4, carrierIds.Count);
        Assert.True(receipts >= 4, $"expected the 4 delivery receipts stored before the erasure; found {receipts}");
        Assert.NotEmpty(await BytesHoldingAsync(before[0].Hash));

        var erased = await fixture.PoolCtlAsync(fixture.AdminKey, "erase", "end-user", number, "--json");

        var counts = Counts(erased);
        Assert.Equal(E164.Mask(number), erased.Json.GetProperty("number").GetString());
        Assert.Equal(2, counts["activeVerificationsCanceled"]);
        Assert.Equal(3, counts["verificationsAnonymised"]);
        Assert.Equal(3, counts["verificationStatesAnonymised"]);
        Assert.Equal(4, counts["outboundMessagesAnonymised"]);
        Assert.Equal((int)receipts, counts["receiptsAnonymised"]);
        Assert.DoesNotContain(number, erased.Out + erased.Err, StringComparison.Ordinal);

        // No table holds the number's keyed hash, any of its ciphertexts, the carrier's ids of its messages, or the number itself.
        Assert.Empty(await BytesHoldingAsync(before[0].Hash));
        foreach (var (_, cipher) in before)
        {
            Assert.Empty(await BytesHoldingAsync(cipher));
        }

        foreach (var carrierId in carrierIds)
        {
            Assert.Empty(await ListAsync(
                "SELECT 'outbound' FROM outbound_messages WHERE carrier_message_id = $1 OR $1 = ANY(id_keys) UNION ALL SELECT 'report' FROM status_reports WHERE carrier_message_id = $1 OR $1 = ANY(id_keys)",
                r => r.GetString(0), carrierId));
        }

        Assert.Empty(await TablesHoldingTextAsync(number));
        Assert.Empty(await TablesHoldingTextAsync(number[1..]));

        // What reports count survives: the rows, their tenants, statuses, sends, checks, routes and times.
        var rows = await ListAsync(
            "SELECT verification_id, tenant_id, status, sends, checks, length(to_encrypted) FROM verifications WHERE verification_id = ANY($1) ORDER BY created_at",
            r => (Id: r.GetString(0), Tenant: r.GetString(1), Status: r.GetString(2), Sends: r.GetInt32(3), Checks: r.GetInt32(4), Cipher: r.GetInt32(5)), (object)ids);
        (string Status, int Sends, int Checks)[] expected = [("approved", 1, 1), ("canceled", 2, 0), ("canceled", 1, 0)];
        Assert.Equal(expected, rows.Select(r => (r.Status, r.Sends, r.Checks)));
        Assert.All(rows, r => Assert.Equal(0, r.Cipher));
        var messages = await ListAsync(
            "SELECT route_id, status, submitted_at IS NOT NULL AND settled_at IS NOT NULL FROM outbound_messages WHERE reference = ANY($1)",
            r => (Route: r.GetString(0), Status: r.GetString(1), Timed: r.GetBoolean(2)), (object)References(ids));
        Assert.Equal(4, messages.Count);
        Assert.All(messages, m => Assert.Equal((ErasureFixture.Route, "delivered", true), m));

        // The tenant still sees its verification, without the number; the bystander's verification is untouched.
        var shown = await a.GetVerificationAsync(new GetVerificationRequest { VerificationId = approved.VerificationId });
        Assert.Equal("(erased)", shown.To);
        Assert.Equal(VerificationStatus.Approved, shown.Status);
        var pendingShown = await a.GetVerificationAsync(new GetVerificationRequest { VerificationId = resent.VerificationId });
        Assert.Equal(VerificationStatus.Canceled, pendingShown.Status);
        Assert.Equal(2, pendingShown.Sends);
        var refusedResend = await Assert.ThrowsAsync<RpcException>(() => a.ResendVerificationAsync(new ResendVerificationRequest { VerificationId = resent.VerificationId }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refusedResend.StatusCode);
        Assert.Equal(bystanderHash, (await ListAsync("SELECT to_hash FROM verifications WHERE verification_id = $1", r => (byte[])r[0], bystander.VerificationId))[0]);
        Assert.Equal(VerificationStatus.Pending, (await a.GetVerificationAsync(new GetVerificationRequest { VerificationId = bystander.VerificationId })).Status);

        // The audit row: who, what, the masked number and the counts; never the full number.
        var audit = await ListAsync(
            "SELECT key_id, role, target, after::text, a::text FROM audit a WHERE action = 'end_user.erase' AND target = $1 ORDER BY audit_id",
            r => (KeyId: r.GetString(0), Role: r.GetString(1), Target: r.GetString(2), After: r.GetString(3), Row: r.GetString(4)), "end-user/" + E164.Mask(number));
        var row = Assert.Single(audit);
        Assert.Equal("admin", row.Role);
        Assert.StartsWith(row.KeyId + "_", fixture.AdminKey, StringComparison.Ordinal);
        using (var after = JsonDocument.Parse(row.After))
        {
            Assert.Equal(2, after.RootElement.GetProperty("activeVerificationsCanceled").GetInt32());
            Assert.Equal(3, after.RootElement.GetProperty("verificationsAnonymised").GetInt32());
            Assert.Equal(4, after.RootElement.GetProperty("outboundMessagesAnonymised").GetInt32());
            Assert.Equal("*", after.RootElement.GetProperty("tenant").GetString());
        }

        Assert.DoesNotContain(number[1..], row.Row, StringComparison.Ordinal);

        // Idempotent: nothing is left, so a second erase reports zeros (and is audited too).
        var again = await fixture.PoolCtlAsync(fixture.AdminKey, "erase", "end-user", number, "--json");
        Assert.All(Counts(again), c => Assert.True(c.Value == 0, $"{c.Key} is {c.Value} on a second erase; expected 0"));
        Assert.Equal(2, (await ListAsync("SELECT count(*) FROM audit WHERE action = 'end_user.erase' AND target = $1", r => r.GetInt64(0), "end-user/" + E164.Mask(number)))[0]);

        // The number can be verified again.
        var later = await StartAsync(tenantA, number);
        var laterCode = await fixture.CodeSentToAsync(number, sends: 5);
        var check = await a.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = later.VerificationId, Code = laterCode });
        Assert.True(check.Valid, "a verification to the erased number after the erasure is approved with its code");
        Assert.Equal(E164.Mask(number), check.Verification.To);
    }

    [Fact]
    public async Task An_erasure_for_one_tenant_leaves_other_tenants_verifications_of_the_number_alone()
    {
        var (tenantA, _) = await fixture.TenantAsync();
        var (tenantB, _) = await fixture.TenantAsync();
        var number = fixture.NewNumber();
        var atA = await StartAsync(tenantA, number);
        var atB = await StartAsync(tenantB, number);
        var tenantOfA = (await ListAsync("SELECT tenant_id FROM verifications WHERE verification_id = $1", r => r.GetString(0), atA.VerificationId))[0];
        var hashOfB = (await ListAsync("SELECT to_hash FROM verifications WHERE verification_id = $1", r => (byte[])r[0], atB.VerificationId))[0];

        var erased = await fixture.PoolCtlAsync(fixture.AdminKey, "erase", "end-user", number, "--tenant", tenantOfA, "--json");

        var counts = Counts(erased);
        Assert.Equal(tenantOfA, erased.Json.GetProperty("tenantId").GetString());
        Assert.Equal(1, counts["activeVerificationsCanceled"]);
        Assert.Equal(1, counts["verificationsAnonymised"]);
        Assert.Equal(1, counts["verificationStatesAnonymised"]);
        Assert.Equal(hashOfB, (await ListAsync("SELECT to_hash FROM verifications WHERE verification_id = $1", r => (byte[])r[0], atB.VerificationId))[0]);
        Assert.Equal(VerificationStatus.Pending, (await new Verification.VerificationClient(tenantB).GetVerificationAsync(new GetVerificationRequest { VerificationId = atB.VerificationId })).Status);
        Assert.Equal(VerificationStatus.Canceled, (await new Verification.VerificationClient(tenantA).GetVerificationAsync(new GetVerificationRequest { VerificationId = atA.VerificationId })).Status);

        var rest = await fixture.PoolCtlAsync(fixture.AdminKey, "erase", "end-user", number, "--json");
        Assert.Equal(1, Counts(rest)["verificationsAnonymised"]);
        Assert.Empty(await BytesHoldingAsync(hashOfB));
    }

    [Fact]
    public async Task The_table_output_says_what_was_done_for_a_number_never_verified()
    {
        var number = fixture.NewNumber();

        var run = await fixture.PoolCtlAsync(fixture.AdminKey, "erase", "end-user", number);

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Contains(E164.Mask(number), run.Out, StringComparison.Ordinal);
        Assert.Contains("every tenant", run.Out, StringComparison.Ordinal);
        Assert.Contains("verifications anonymised", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(number, run.Out, StringComparison.Ordinal);
        Assert.Equal(1, (await ListAsync("SELECT count(*) FROM audit WHERE action = 'end_user.erase' AND target = $1", r => r.GetInt64(0), "end-user/" + E164.Mask(number)))[0]);
    }

    [Fact]
    public async Task An_invalid_number_or_tenant_is_refused_naming_the_field_without_echoing_the_number()
    {
        var privacy = new Privacy.PrivacyClient(fixture.Admin);
        var audited = await AuditedErasuresAsync();

        var tooLong = await Assert.ThrowsAsync<RpcException>(() => privacy.EraseEndUserAsync(new EraseEndUserRequest { Number = "+852612345678901" }).ResponseAsync);
        var noPlus = await Assert.ThrowsAsync<RpcException>(() => privacy.EraseEndUserAsync(new EraseEndUserRequest { Number = "85261234567" }).ResponseAsync);
        var empty = await Assert.ThrowsAsync<RpcException>(() => privacy.EraseEndUserAsync(new EraseEndUserRequest()).ResponseAsync);
        var badTenant = await Assert.ThrowsAsync<RpcException>(() => privacy.EraseEndUserAsync(new EraseEndUserRequest { Number = fixture.NewNumber(), TenantId = "Not A Tenant!" }).ResponseAsync);
        var cli = await fixture.PoolCtlAsync(fixture.AdminKey, "erase", "end-user", "+852612345678901");

        foreach (var (error, field) in new[] { (tooLong, "number"), (noPlus, "number"), (empty, "number"), (badTenant, "tenant_id") })
        {
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal([field], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        }

        Assert.DoesNotContain("612345678901", tooLong.Status.Detail + tooLong.GetRpcStatus(), StringComparison.Ordinal);
        Assert.DoesNotContain("61234567", noPlus.Status.Detail + noPlus.GetRpcStatus(), StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Ok, cli.Exit);
        Assert.Contains("number", cli.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("612345678901", cli.Out + cli.Err, StringComparison.Ordinal);
        Assert.Equal(audited, await AuditedErasuresAsync());
    }

    [Fact]
    public async Task A_tenant_key_is_refused_with_permission_denied_and_nothing_is_erased()
    {
        var (tenant, key) = await fixture.TenantAsync();
        var number = fixture.NewNumber();
        var started = await StartAsync(tenant, number);
        var hash = (await ListAsync("SELECT to_hash FROM verifications WHERE verification_id = $1", r => (byte[])r[0], started.VerificationId))[0];

        var rpc = await Assert.ThrowsAsync<RpcException>(() => new Privacy.PrivacyClient(tenant).EraseEndUserAsync(new EraseEndUserRequest { Number = number }).ResponseAsync);
        var cli = await fixture.PoolCtlAsync(key, "erase", "end-user", number);

        Assert.Equal(StatusCode.PermissionDenied, rpc.StatusCode);
        Assert.NotEqual(ExitCodes.Ok, cli.Exit);
        Assert.Contains("PermissionDenied", cli.Err, StringComparison.Ordinal);
        Assert.Equal(hash, (await ListAsync("SELECT to_hash FROM verifications WHERE verification_id = $1", r => (byte[])r[0], started.VerificationId))[0]);
        Assert.Equal(VerificationStatus.Pending, (await new Verification.VerificationClient(tenant).GetVerificationAsync(new GetVerificationRequest { VerificationId = started.VerificationId })).Status);
        Assert.Equal(0, (await ListAsync("SELECT count(*) FROM audit WHERE action = 'end_user.erase' AND target = $1", r => r.GetInt64(0), "end-user/" + E164.Mask(number)))[0]);
    }
}

/// <summary>A Pool without outbound verification's keys cannot find a number's records: an erasure there is refused, not reported as done.</summary>
public sealed class ErasureWithoutKeysTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    [Fact]
    public async Task An_erasure_without_verification_keys_is_unavailable_naming_the_settings_and_writes_no_audit_row()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => new Privacy.PrivacyClient(fixture.Admin).EraseEndUserAsync(new EraseEndUserRequest { Number = "+85261234567" }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("IndexKey", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit WHERE action = 'end_user.erase'"));
    }
}
