using Pool.Carriers.Http;

namespace Pool.Carriers.Tests.Http;

/// <summary>A signed carrier request is taken once; one answered "send it again" may come again.</summary>
public sealed class ReplayGuardTests
{
    [Fact]
    public void A_signature_is_taken_once_unless_it_was_given_back()
    {
        var guard = new ReplayGuard();
        var now = DateTimeOffset.UtcNow;

        var first = guard.FirstUse("v1=abc", now);
        var replay = guard.FirstUse("v1=abc", now);
        guard.Release("v1=abc");
        var retry = guard.FirstUse("v1=abc", now);

        Assert.Equal((true, false, true), (first, replay, retry));
    }
}
