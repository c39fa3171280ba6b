using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pool.Cli;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// A Pool with outbound verification configured (its two keys) and, as in every test process, no
/// carrier connection: every submit fails, so every verification ends FAILED. Each test works as a
/// tenant of its own and verifies numbers no other test uses.
/// </summary>
public sealed class VerificationFixture() : HostFixture("ve")
{
    private int _numbers;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Pool:Verification:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Pool:Verification:IndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    /// <summary>A new tenant and its key; the client acts as that tenant.</summary>
    public Task<(CallInvoker Client, string Key)> TenantAsync() => NewTenantAsync("ve-t");

    /// <summary>A valid Hong Kong number no other test verifies, in a 7-digit prefix of its own (the per-prefix limit counts by prefix).</summary>
    public string NewNumber()
    {
        var n = Interlocked.Increment(ref _numbers);
        return $"+8526{n:D2}{n:D5}";
    }

    /// <summary>Runs poolctl in-process as <paramref name="key"/>, blind to the environment of the machine running the tests.</summary>
    public Task<PoolCtlRun> PoolCtlAsync(string key, params string[] args) => PoolCtlRunner.RunOnAsync(Pool, key, args);

}

/// <summary>pool.v1.Verification and poolctl verify against a real Pool without a carrier (see <see cref="VerificationFixture"/>).</summary>
public sealed partial class VerificationApiTests(VerificationFixture fixture) : IClassFixture<VerificationFixture>
{
    private const string UnknownId = "ve_0123456789abcdef0123456789abcdef";

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    private static List<string> Fields(RpcException error) =>
        [.. error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field)];

    /// <summary>The verification a failed start names in its google.rpc.ResourceInfo.</summary>
    private static string FailedId(RpcException error)
    {
        var resource = error.GetRpcStatus()!.GetDetail<ResourceInfo>();
        Assert.NotNull(resource);
        Assert.Equal("pool.v1.VerificationInfo", resource.ResourceType);
        return resource.ResourceName;
    }

    private static string Digits(string e164) => e164[4..];

    [Fact]
    public async Task A_start_with_every_field_wrong_is_refused_naming_each_field_without_quoting_the_number()
    {
        var (client, _) = await fixture.TenantAsync();
        var verification = new Verification.VerificationClient(client);

        var low = await RefusedAsync(() => verification.StartVerificationAsync(new StartVerificationRequest
        {
            To = "+852612345678901", Channel = "voice", Locale = "en US!", CodeLength = 3, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)),
        }).ResponseAsync);
        var high = await RefusedAsync(() => verification.StartVerificationAsync(new StartVerificationRequest
        {
            To = fixture.NewNumber(), Locale = new string('a', 36), CodeLength = 11, Ttl = Duration.FromTimeSpan(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1)),
        }).ResponseAsync);
        var missing = await RefusedAsync(() => verification.StartVerificationAsync(new StartVerificationRequest()).ResponseAsync);
        var noPlus = await RefusedAsync(() => verification.StartVerificationAsync(new StartVerificationRequest { To = "85261234567" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, low.StatusCode);
        Assert.Equal(["to", "channel", "locale", "code_length", "ttl"], Fields(low));
        Assert.DoesNotContain("612345678901", low.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["locale", "code_length", "ttl"], Fields(high));
        Assert.Equal(["to"], Fields(missing));
        Assert.Equal(["to"], Fields(noPlus));
        Assert.DoesNotContain("61234567", noPlus.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_on_a_malformed_id_or_with_a_malformed_code_are_refused_naming_the_field()
    {
        var (client, _) = await fixture.TenantAsync();
        var verification = new Verification.VerificationClient(client);

        var get = await RefusedAsync(() => verification.GetVerificationAsync(new GetVerificationRequest { VerificationId = "ls_0123456789abcdef0123456789abcdef" }).ResponseAsync);
        var cancel = await RefusedAsync(() => verification.CancelVerificationAsync(new CancelVerificationRequest()).ResponseAsync);
        var resend = await RefusedAsync(() => verification.ResendVerificationAsync(new ResendVerificationRequest { VerificationId = "ve_XYZ" }).ResponseAsync);
        var check = await RefusedAsync(() => verification.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = "nope", Code = "12a4" }).ResponseAsync);
        var longCode = await RefusedAsync(() => verification.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = UnknownId, Code = "12345678901" }).ResponseAsync);

        Assert.Equal(["verification_id"], Fields(get));
        Assert.Equal(["verification_id"], Fields(cancel));
        Assert.Equal(["verification_id"], Fields(resend));
        Assert.Equal(["verification_id", "code"], Fields(check));
        Assert.Equal(["code"], Fields(longCode));
    }

    [Fact]
    public async Task A_start_that_no_carrier_route_takes_is_unavailable_and_the_verification_is_failed()
    {
        var (client, _) = await fixture.TenantAsync();
        var verification = new Verification.VerificationClient(client);
        var to = fixture.NewNumber();

        var error = await RefusedAsync(() => verification.StartVerificationAsync(new StartVerificationRequest
        {
            To = to, Channel = "SMS", Locale = "pt-BR", CodeLength = 8, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(2)),
        }).ResponseAsync);
        var id = FailedId(error);
        var failed = await verification.GetVerificationAsync(new GetVerificationRequest { VerificationId = id });
        var check = await RefusedAsync(() => verification.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = id, Code = "12345678" }).ResponseAsync);
        var resend = await RefusedAsync(() => verification.ResendVerificationAsync(new ResendVerificationRequest { VerificationId = id }).ResponseAsync);
        var cancel = await RefusedAsync(() => verification.CancelVerificationAsync(new CancelVerificationRequest { VerificationId = id }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains($"verification {id} failed", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("no route table for HK", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Digits(to), error.Status.Detail, StringComparison.Ordinal);
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<RetryInfo>());
        Assert.Equal((VerificationStatus.Failed, VerificationDeliveryStatus.None, 0, 0), (failed.Status, failed.DeliveryStatus, failed.Sends, failed.Checks));
        Assert.Equal((id, "sms", "pt", 8, ""), (failed.VerificationId, failed.Channel, failed.Locale, failed.CodeLength, failed.RouteId));
        Assert.Equal(to[..4] + "****" + to[^4..], failed.To);
        Assert.Equal(TimeSpan.FromMinutes(2), failed.ExpireTime.ToDateTimeOffset() - failed.CreateTime.ToDateTimeOffset());
        Assert.Equal(StatusCode.FailedPrecondition, check.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, resend.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, cancel.StatusCode);
        Assert.Contains("can no longer be checked", check.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_through_a_route_whose_carrier_is_not_connected_fails_and_the_route_counts_the_error()
    {
        var (client, _) = await fixture.TenantAsync();
        var routes = new Routes.RoutesClient(fixture.Admin);
        var routeId = $"ve-sg-{Guid.NewGuid():n}"[..16];
        await routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = routeId, Connection = "smpp-absent", Countries = { "SG" } });
        await routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "SG", Primary = { routeId } });

        var error = await RefusedAsync(() => new Verification.VerificationClient(client).StartVerificationAsync(new StartVerificationRequest { To = "+6581234567" }).ResponseAsync);
        var failed = await new Verification.VerificationClient(client).GetVerificationAsync(new GetVerificationRequest { VerificationId = FailedId(error) });
        var route = await routes.GetRouteAsync(new GetRouteRequest { RouteId = routeId });

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains($"route '{routeId}': error (no carrier connection 'smpp-absent' is configured on this silo)", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("81234567", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(VerificationStatus.Failed, failed.Status);
        Assert.Equal((1, 0), (route.Health.Errors, route.Health.Accepted));
    }

    [Fact]
    public async Task Another_tenants_verification_is_not_found_for_every_call()
    {
        var (owner, _) = await fixture.TenantAsync();
        var (other, _) = await fixture.TenantAsync();
        var error = await RefusedAsync(() => new Verification.VerificationClient(owner).StartVerificationAsync(new StartVerificationRequest { To = fixture.NewNumber() }).ResponseAsync);
        var id = FailedId(error);
        var stranger = new Verification.VerificationClient(other);

        var own = await new Verification.VerificationClient(owner).GetVerificationAsync(new GetVerificationRequest { VerificationId = id });
        var get = await RefusedAsync(() => stranger.GetVerificationAsync(new GetVerificationRequest { VerificationId = id }).ResponseAsync);
        var check = await RefusedAsync(() => stranger.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = id, Code = "123456" }).ResponseAsync);
        var cancel = await RefusedAsync(() => stranger.CancelVerificationAsync(new CancelVerificationRequest { VerificationId = id }).ResponseAsync);
        var resend = await RefusedAsync(() => stranger.ResendVerificationAsync(new ResendVerificationRequest { VerificationId = id }).ResponseAsync);

        Assert.Equal((VerificationStatus.Failed, "sms", "en", 6), (own.Status, own.Channel, own.Locale, own.CodeLength));
        Assert.Equal(TimeSpan.FromMinutes(10), own.ExpireTime.ToDateTimeOffset() - own.CreateTime.ToDateTimeOffset());
        Assert.Equal(
            [StatusCode.NotFound, StatusCode.NotFound, StatusCode.NotFound, StatusCode.NotFound],
            [get.StatusCode, check.StatusCode, cancel.StatusCode, resend.StatusCode]);
        Assert.Equal(own, await new Verification.VerificationClient(owner).GetVerificationAsync(new GetVerificationRequest { VerificationId = id }));
    }

    [Fact]
    public async Task Calls_on_an_unknown_verification_are_not_found()
    {
        var (client, _) = await fixture.TenantAsync();
        var verification = new Verification.VerificationClient(client);

        var get = await RefusedAsync(() => verification.GetVerificationAsync(new GetVerificationRequest { VerificationId = UnknownId }).ResponseAsync);
        var check = await RefusedAsync(() => verification.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = UnknownId, Code = "123456" }).ResponseAsync);
        var cancel = await RefusedAsync(() => verification.CancelVerificationAsync(new CancelVerificationRequest { VerificationId = UnknownId }).ResponseAsync);
        var resend = await RefusedAsync(() => verification.ResendVerificationAsync(new ResendVerificationRequest { VerificationId = UnknownId }).ResponseAsync);

        Assert.Equal(
            [StatusCode.NotFound, StatusCode.NotFound, StatusCode.NotFound, StatusCode.NotFound],
            [get.StatusCode, check.StatusCode, cancel.StatusCode, resend.StatusCode]);
    }

    [Fact]
    public async Task A_retried_start_reaches_the_same_verification_and_a_changed_request_with_the_same_key_is_refused()
    {
        var (client, _) = await fixture.TenantAsync();
        var verification = new Verification.VerificationClient(client);
        var to = fixture.NewNumber();
        var request = new StartVerificationRequest { To = to, IdempotencyKey = $"start-{Guid.NewGuid():n}" };

        var first = await RefusedAsync(() => verification.StartVerificationAsync(request).ResponseAsync);
        var retry = await RefusedAsync(() => verification.StartVerificationAsync(request).ResponseAsync);
        var changed = await RefusedAsync(() => verification.StartVerificationAsync(new StartVerificationRequest(request) { CodeLength = 4 }).ResponseAsync);

        Assert.Equal([StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.AlreadyExists], [first.StatusCode, retry.StatusCode, changed.StatusCode]);
        Assert.Equal(FailedId(first), FailedId(retry));
    }

    [Fact]
    public async Task A_number_gets_at_most_five_verifications_an_hour_failed_ones_included()
    {
        var (client, _) = await fixture.TenantAsync();
        var verification = new Verification.VerificationClient(client);
        var to = fixture.NewNumber();

        var answers = new List<StatusCode>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add((await RefusedAsync(() => verification.StartVerificationAsync(new StartVerificationRequest { To = to }).ResponseAsync)).StatusCode);
        }

        var refused = await RefusedAsync(() => verification.StartVerificationAsync(new StartVerificationRequest { To = to }).ResponseAsync);

        Assert.Equal([.. Enumerable.Repeat(StatusCode.Unavailable, 5), StatusCode.ResourceExhausted], answers);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.DoesNotContain(Digits(to), refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poolctl_verify_start_show_check_cancel_and_resend_exit_with_the_code_of_their_answer()
    {
        var (_, key) = await fixture.TenantAsync();
        var to = fixture.NewNumber();

        var started = await fixture.PoolCtlAsync(key, "verify", "start", "--to", to, "--locale", "zh", "--length", "4", "--ttl", "5m");
        var id = VerificationId().Match(started.Err).Value;
        var shown = await fixture.PoolCtlAsync(key, "verify", "show", id);
        var json = await fixture.PoolCtlAsync(key, "--json", "verify", "show", id);
        var check = await fixture.PoolCtlAsync(key, "verify", "check", id, "1234");
        var cancel = await fixture.PoolCtlAsync(key, "verify", "cancel", id);
        var resend = await fixture.PoolCtlAsync(key, "verify", "resend", id);

        Assert.Equal(ExitCodes.Unavailable, started.Exit);
        Assert.Contains("error: Unavailable: verification ve_", started.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Digits(to), started.Err, StringComparison.Ordinal);
        Assert.Equal((0, ""), (shown.Exit, shown.Err));
        Assert.Matches(@"status\s*│\s*failed", shown.Out);
        Assert.Matches(@"delivery\s*│\s*none", shown.Out);
        Assert.Matches(@"locale\s*│\s*zh", shown.Out);
        Assert.Matches(@"code length\s*│\s*4", shown.Out);
        Assert.DoesNotContain(Digits(to), shown.Out, StringComparison.Ordinal);
        Assert.Equal(("VERIFICATION_STATUS_FAILED", "VERIFICATION_DELIVERY_STATUS_NONE"), (json.Json.GetProperty("status").GetString(), json.Json.GetProperty("deliveryStatus").GetString()));
        Assert.Equal(TimeSpan.FromMinutes(5), json.Json.GetProperty("expireTime").GetDateTimeOffset() - json.Json.GetProperty("createTime").GetDateTimeOffset());
        Assert.Equal(ExitCodes.Rejected, check.Exit);
        Assert.Contains("can no longer be checked", check.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Rejected, cancel.Exit);
        Assert.Equal(ExitCodes.Rejected, resend.Exit);
    }

    [Fact]
    public async Task Poolctl_verify_refuses_bad_input_and_unknown_verifications()
    {
        var (_, key) = await fixture.TenantAsync();

        var ttl = await fixture.PoolCtlAsync(key, "verify", "start", "--to", fixture.NewNumber(), "--ttl", "soon");
        var length = await fixture.PoolCtlAsync(key, "verify", "start", "--to", fixture.NewNumber(), "--length", "3");
        var noTo = await fixture.PoolCtlAsync(key, "verify", "start");
        var code = await fixture.PoolCtlAsync(key, "verify", "check", UnknownId, "12");
        var unknown = await fixture.PoolCtlAsync(key, "verify", "show", UnknownId);
        var unknownCheck = await fixture.PoolCtlAsync(key, "verify", "check", UnknownId, "123456");

        Assert.Equal(ExitCodes.Usage, ttl.Exit);
        Assert.Contains("--ttl 'soon' is not a duration", ttl.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, length.Exit);
        Assert.Contains("code_length:", length.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, noTo.Exit);
        Assert.Equal(ExitCodes.Usage, code.Exit);
        Assert.Contains("code:", code.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.Exit);
        Assert.Equal(ExitCodes.NotFound, unknownCheck.Exit);
    }

    [GeneratedRegex("ve_[0-9a-f]{32}")]
    private static partial Regex VerificationId();
}
