using System.Text;
using Pool.Contracts.Errors;
using Pool.Grains.Webhooks;

namespace Pool.Grains.Tests.Webhooks;

/// <summary>Webhook signing, retry timing and endpoint URLs (pure rules, no cluster).</summary>
public sealed class WebhookRulesTests
{
    [Fact]
    public void Signatures_match_the_Standard_Webhooks_reference_vector()
    {
        // The example of the Standard Webhooks specification: secret, id, timestamp, body and signature.
        var signature = WebhookSignature.Sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("{\"test\": 2432232314}"));

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void A_new_secret_is_32_random_bytes_behind_the_whsec_prefix()
    {
        var first = WebhookSignature.NewSecret();
        var second = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.5, 1.0)]
    [InlineData(1.0, 1.2)]
    public void Each_retry_waits_its_scheduled_time_give_or_take_a_fifth(double random, double factor)
    {
        var options = new WebhookOptions();

        for (var attempt = 1; attempt <= WebhookOptions.DefaultRetrySchedule.Count; attempt++)
        {
            Assert.Equal(WebhookOptions.DefaultRetrySchedule[attempt - 1] * factor, options.NextDelay(attempt, random));
        }
    }

    [Fact]
    public void Retries_run_for_about_a_day_and_then_stop()
    {
        var options = new WebhookOptions();
        var total = WebhookOptions.DefaultRetrySchedule.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);

        Assert.InRange(total, TimeSpan.FromHours(20), TimeSpan.FromHours(28));
        Assert.Null(options.NextDelay(WebhookOptions.DefaultRetrySchedule.Count + 1, 0.5));
        Assert.Null(options.NextDelay(0, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(2), new WebhookOptions { RetrySchedule = [TimeSpan.FromSeconds(2)] }.NextDelay(1, 0.5));
    }

    [Theory]
    [InlineData("https://hooks.example.com/pool", false, null)]
    [InlineData("http://127.0.0.1:8080/hooks", false, null)]
    [InlineData("http://localhost/hooks", false, null)]
    [InlineData("http://[::1]/hooks", false, null)]
    [InlineData("http://hooks.example.com/pool", true, null)]
    [InlineData("http://hooks.example.com/pool", false, "https")]
    [InlineData("ftp://hooks.example.com/pool", false, "scheme 'ftp'")]
    [InlineData("/hooks", false, "absolute URL")]
    [InlineData("", false, "absolute URL")]
    [InlineData("https://user:pass@hooks.example.com/", false, "credentials")]
    [InlineData("https://hooks.example.com/#top", false, "fragment")]
    public void Endpoint_urls_must_be_absolute_https_or_loopback_http(string url, bool allowHttp, string? problem)
    {
        var error = Record.Exception(() => WebhooksGrain.ValidateUrl(url, allowHttp));

        if (problem is null)
        {
            Assert.Null(error);
        }
        else
        {
            var refusal = Assert.IsType<PoolException>(error);
            Assert.Equal("url", refusal.Field);
            Assert.Contains(problem, refusal.Message, StringComparison.Ordinal);
        }
    }
}
