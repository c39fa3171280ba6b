using System.Text.RegularExpressions;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Contracts.Verification;
using Pool.Grains.Tests.Routes;

namespace Pool.Grains.Tests.Verification;

/// <summary>Outbound verification on a real cluster: codes sent through routes to a scripted carrier, on a fake clock.</summary>
public sealed partial class VerificationTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>, IAsyncLifetime
{
    private const string Tenant = "acme";
    private const string Connection = "verify-gb";
    private static int s_block;

    private IGrainFactory Grains => fixture.Grains;

    public async Task InitializeAsync()
    {
        await Grains.GetGrain<ICarrierRouteGrain>(Connection).UpsertAsync(new RouteDefinition(Connection, Connection, ["GB"], [], 0.02m, 1));
        await Grains.GetGrain<IRouteTableGrain>("GB").SetAsync([Connection], []);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A UK mobile number in a block of its own (its first seven digits are shared by no other test).</summary>
    private static string NewNumber(int last = 0) => $"+4474{10 + (Interlocked.Increment(ref s_block) % 40):00}5{last:00000}";

    private static IVerificationGrain NewVerification(IGrainFactory grains) => grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom());

    private static Task<VerificationInfo> StartAsync(IVerificationGrain verification, string to, string? locale = null, int? length = null) =>
        verification.StartAsync(new VerificationRequest(Tenant, to, "sms", locale, length));

    private List<string> TextsTo(string to) => fixture.Gateway.SubmissionsTo(Connection).Where(s => s.To == to).Select(s => s.Text).ToList();

    private string CodeSentTo(string to) => CodePattern().Match(TextsTo(to)[^1]).Groups[1].Value;

    private static async Task<PoolException> RefusedAsync(PoolErrorCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<PoolException>(call);
        Assert.True(code == error.Code, $"expected {code}, got {error.Code}: {error.Message}");
        return error;
    }

    [Fact]
    public async Task A_started_verification_sends_a_six_digit_code_through_the_route_and_is_pending()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);

        var started = await StartAsync(verification, to);

        Assert.Equal(VerificationStatus.Pending, started.Status);
        Assert.Equal(VerificationDelivery.Sent, started.Delivery);
        Assert.Equal(Connection, started.RouteId);
        Assert.Equal(1, started.Sends);
        Assert.Equal(started.CreatedAt + TimeSpan.FromMinutes(10), started.ExpiresAt);
        Assert.DoesNotContain(to[4..], started.ToMasked, StringComparison.Ordinal);
        Assert.Matches(@"^\d{6}$", CodeSentTo(to));
        Assert.Contains("expires in 10 minutes", TextsTo(to).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_code_approves_the_verification_and_it_accepts_no_further_check()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        await StartAsync(verification, to, length: 8);
        var code = CodeSentTo(to);

        var check = await verification.CheckAsync(Tenant, code);
        await RefusedAsync(PoolErrorCode.FailedPrecondition, () => verification.CheckAsync(Tenant, code));

        Assert.Equal(8, code.Length);
        Assert.True(check.Valid);
        Assert.Equal(VerificationStatus.Approved, check.Verification.Status);
        Assert.Equal(1, check.Verification.Checks);
    }

    [Fact]
    public async Task Five_wrong_codes_end_the_verification_as_max_attempts_reached()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        await StartAsync(verification, to);
        var code = CodeSentTo(to);
        var wrong = code == "000000" ? "111111" : "000000";
        var malformed = await RefusedAsync(PoolErrorCode.InvalidArgument, () => verification.CheckAsync(Tenant, "12a4"));

        var checks = new List<VerificationCheck>();
        for (var i = 0; i < 5; i++)
        {
            checks.Add(await verification.CheckAsync(Tenant, wrong));
        }

        var error = await RefusedAsync(PoolErrorCode.FailedPrecondition, () => verification.CheckAsync(Tenant, code));
        Assert.All(checks, c => Assert.False(c.Valid));
        Assert.Equal([.. Enumerable.Repeat(VerificationStatus.Pending, 4), VerificationStatus.MaxAttemptsReached], checks.Select(c => c.Verification.Status));
        Assert.Equal([1, 2, 3, 4, 5], checks.Select(c => c.Verification.Checks));
        Assert.Contains("max_attempts_reached", error.Message, StringComparison.Ordinal);
        Assert.Equal("code", malformed.Field);
    }

    [Fact]
    public async Task A_resend_sends_the_same_code_and_five_sends_are_the_most()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        await StartAsync(verification, to);

        for (var i = 0; i < 4; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromMinutes(1));
            await verification.ResendAsync(Tenant);
        }

        var refused = await RefusedAsync(PoolErrorCode.Exhausted, () => verification.ResendAsync(Tenant));
        var texts = TextsTo(to);
        var codes = texts.Select(t => CodePattern().Match(t).Groups[1].Value).Distinct().ToList();
        var info = await verification.GetAsync(Tenant);

        Assert.Equal(5, texts.Count);
        Assert.Single(codes);
        Assert.Contains("expires in 6 minutes", texts[^1], StringComparison.Ordinal);
        Assert.Equal(5, info.Sends);
        Assert.Contains("5 times", refused.Message, StringComparison.Ordinal);
        Assert.True((await verification.CheckAsync(Tenant, codes[0])).Valid);
    }

    [Fact]
    public async Task A_canceled_verification_stays_canceled_and_refuses_checks_and_resends()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        await StartAsync(verification, to);

        var canceled = await verification.CancelAsync(Tenant);
        var again = await verification.CancelAsync(Tenant);

        Assert.Equal(VerificationStatus.Canceled, canceled.Status);
        Assert.Equal(canceled, again);
        await RefusedAsync(PoolErrorCode.FailedPrecondition, () => verification.CheckAsync(Tenant, CodeSentTo(to)));
        await RefusedAsync(PoolErrorCode.FailedPrecondition, () => verification.ResendAsync(Tenant));
    }

    [Fact]
    public async Task A_verification_expires_at_its_deadline_and_then_refuses_everything()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        await verification.StartAsync(new VerificationRequest(Tenant, to, Ttl: TimeSpan.FromMinutes(2)));
        var code = CodeSentTo(to);

        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await verification.GetAsync(Tenant);

        Assert.Equal(VerificationStatus.Expired, expired.Status);
        Assert.Contains("expires in 2 minutes", TextsTo(to).Single(), StringComparison.Ordinal);
        await RefusedAsync(PoolErrorCode.FailedPrecondition, () => verification.CheckAsync(Tenant, code));
        await RefusedAsync(PoolErrorCode.FailedPrecondition, () => verification.ResendAsync(Tenant));
        await RefusedAsync(PoolErrorCode.FailedPrecondition, () => verification.CancelAsync(Tenant));
        Assert.Equal("expired", await fixture.Database.ScalarAsync<string>($"SELECT status FROM verifications WHERE verification_id = '{expired.VerificationId}'"));
    }

    [Fact]
    public async Task Racing_starts_to_one_number_never_get_past_its_hourly_limit()
    {
        var to = NewNumber();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            try
            {
                await StartAsync(NewVerification(Grains), to);
                return "started";
            }
            catch (PoolException ex) when (ex.Code == PoolErrorCode.Exhausted)
            {
                return "refused";
            }
        }));

        Assert.Equal(5, attempts.Count(a => a == "started"));
        Assert.Equal(7, attempts.Count(a => a == "refused"));
    }

    [Fact]
    public async Task The_expiry_sweep_marks_overdue_verifications_expired_in_the_table_without_anyone_asking()
    {
        var to = NewNumber();
        var started = await NewVerification(Grains).StartAsync(new VerificationRequest(Tenant, to, Ttl: TimeSpan.FromMinutes(3)));
        var status = $"SELECT status FROM verifications WHERE verification_id = '{started.VerificationId}'";

        await Grains.GetGrain<IVerificationSweepGrain>(0).SweepAsync(); // Whatever earlier tests left overdue.
        var pending = await fixture.Database.ScalarAsync<string>(status);
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));
        var found = await Grains.GetGrain<IVerificationSweepGrain>(0).SweepAsync();
        var after = await fixture.Database.ScalarAsync<string>(status);

        Assert.Equal("pending", pending);
        Assert.True(found >= 1, "the sweep found the overdue verification");
        Assert.Equal("expired", after);
    }

    [Fact]
    public async Task A_verification_no_route_can_send_is_failed_and_answered_unavailable()
    {
        var id = VerificationIds.NewRandom();
        var verification = Grains.GetGrain<IVerificationGrain>(id);

        var error = await RefusedAsync(PoolErrorCode.Unavailable, () => StartAsync(verification, "+85269990001"));
        var repeated = await RefusedAsync(PoolErrorCode.Unavailable, () => StartAsync(verification, "+85269990001"));
        var failed = await verification.GetAsync(Tenant);

        Assert.Contains("no route table for HK", error.Message, StringComparison.Ordinal);
        Assert.Contains(id, repeated.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationStatus.Failed, failed.Status);
        Assert.Equal(VerificationDelivery.None, failed.Delivery);
        await RefusedAsync(PoolErrorCode.FailedPrecondition, () => verification.ResendAsync(Tenant));
    }

    [Fact]
    public async Task Delivery_receipts_set_the_delivery_status_and_delivered_is_final()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        await StartAsync(verification, to);
        await verification.ResendAsync(Tenant);
        var ids = fixture.Gateway.SubmissionsTo(Connection).Where(s => s.To == to).Select(s => s.CarrierMessageIds[0]).ToList();
        var receipts = Grains.GetGrain<IOutboundReceiptGrain>(0);

        await receipts.RecordAsync(Reports.Final(Connection, ids[0], false, "expired"));
        var undelivered = await verification.GetAsync(Tenant);
        await receipts.RecordAsync(Reports.Final(Connection, ids[1], true, null));
        var delivered = await verification.GetAsync(Tenant);
        await verification.RecordDeliveryAsync(false);
        var stillDelivered = await verification.GetAsync(Tenant);

        Assert.Equal(VerificationDelivery.Undelivered, undelivered.Delivery);
        Assert.Equal(VerificationDelivery.Delivered, delivered.Delivery);
        Assert.Equal(VerificationDelivery.Delivered, stillDelivered.Delivery);
        Assert.Equal(VerificationStatus.Pending, stillDelivered.Status);
    }

    [Fact]
    public async Task Another_tenant_finds_no_verification()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        await StartAsync(verification, to);

        await RefusedAsync(PoolErrorCode.NotFound, () => verification.GetAsync("other"));
        await RefusedAsync(PoolErrorCode.NotFound, () => verification.CheckAsync("other", CodeSentTo(to)));
        await RefusedAsync(PoolErrorCode.NotFound, () => verification.ResendAsync("other"));
        await RefusedAsync(PoolErrorCode.NotFound, () => verification.CancelAsync("other"));
        await RefusedAsync(PoolErrorCode.NotFound, () => NewVerification(Grains).GetAsync(Tenant));
        Assert.Equal(VerificationStatus.Pending, (await verification.GetAsync(Tenant)).Status);
    }

    public static TheoryData<string, VerificationRequest> InvalidRequests => new()
    {
        { "to", new VerificationRequest(Tenant, "12345") },
        { "to", new VerificationRequest(Tenant, "+999123456789") },
        { "channel", new VerificationRequest(Tenant, "+447400123456", Channel: "voice") },
        { "locale", new VerificationRequest(Tenant, "+447400123456", Locale: "en US; drop") },
        { "code_length", new VerificationRequest(Tenant, "+447400123456", CodeLength: 3) },
        { "code_length", new VerificationRequest(Tenant, "+447400123456", CodeLength: 11) },
        { "ttl", new VerificationRequest(Tenant, "+447400123456", Ttl: TimeSpan.FromSeconds(119)) },
        { "ttl", new VerificationRequest(Tenant, "+447400123456", Ttl: TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1)) },
        { "tenant_id", new VerificationRequest(" ", "+447400123456") },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task An_invalid_request_is_refused_naming_the_field(string field, VerificationRequest request)
    {
        var error = await RefusedAsync(PoolErrorCode.InvalidArgument, () => NewVerification(Grains).StartAsync(request));

        Assert.Equal(field, error.Field);
        Assert.DoesNotContain("123456789", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_again_returns_the_verification_and_a_different_request_conflicts()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        var first = await StartAsync(verification, to);

        var again = await StartAsync(verification, to);
        var other = await RefusedAsync(PoolErrorCode.Conflict, () => StartAsync(verification, to, length: 7));

        Assert.Equal(first, again);
        Assert.Single(TextsTo(to));
        Assert.Equal("verification_id", other.Field);
    }

    [Fact]
    public async Task A_number_gets_at_most_five_verifications_an_hour()
    {
        var to = NewNumber();
        for (var i = 0; i < 5; i++)
        {
            await StartAsync(NewVerification(Grains), to);
        }

        var refused = await RefusedAsync(PoolErrorCode.Exhausted, () => StartAsync(NewVerification(Grains), to));
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        var later = await StartAsync(NewVerification(Grains), to);

        Assert.Contains("in the last hour", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(to[4..], refused.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationStatus.Pending, later.Status);
    }

    [Fact]
    public async Task Numbers_sharing_a_prefix_get_at_most_twenty_verifications_an_hour_as_a_toll_fraud_guard()
    {
        var first = NewNumber();
        for (var i = 0; i < 20; i++)
        {
            await StartAsync(NewVerification(Grains), first[..^5] + i.ToString("00000", System.Globalization.CultureInfo.InvariantCulture));
        }

        var refused = await RefusedAsync(PoolErrorCode.Exhausted, () => StartAsync(NewVerification(Grains), first[..^5] + "99999"));

        Assert.Contains("toll-fraud guard", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh", "分钟内有效")]
    [InlineData("ru", "Ваш код подтверждения")]
    [InlineData("es", "Tu código de verificación")]
    [InlineData("pt-BR", "Seu código de verificação")]
    [InlineData("xx", "Your verification code")]
    [InlineData(null, "Your verification code")]
    public async Task The_message_is_written_in_the_requested_language_or_in_english(string? locale, string expected)
    {
        var to = NewNumber();
        var started = await StartAsync(NewVerification(Grains), to, locale);

        var text = TextsTo(to).Single();

        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Contains(CodeSentTo(to), text, StringComparison.Ordinal);
        Assert.Contains("10", text, StringComparison.Ordinal);
        Assert.Equal(locale is null or "xx" ? "en" : locale[..2], started.Locale);
    }

    [Fact]
    public async Task Neither_the_number_nor_the_code_is_stored_in_clear()
    {
        var to = NewNumber();
        var verification = NewVerification(Grains);
        var started = await StartAsync(verification, to);
        var digits = to[1..];
        var code = CodeSentTo(to);

        var stateRows = await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM grain_state WHERE position(convert_to('{digits}', 'UTF8') in payload) > 0 OR position(convert_to('{code}', 'UTF8') in payload) > 0");
        var indexRows = await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM verifications WHERE verification_id = '{started.VerificationId}' AND position(convert_to('{digits}', 'UTF8') in to_encrypted) = 0");

        Assert.Equal(0, stateRows);
        Assert.Equal(1, indexRows);
    }

    [GeneratedRegex(@"(\d{4,10})")]
    private static partial Regex CodePattern();
}
