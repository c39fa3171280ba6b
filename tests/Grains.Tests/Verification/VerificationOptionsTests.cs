using Pool.Grains.Verification;

namespace Pool.Grains.Tests.Verification;

public sealed class VerificationOptionsTests
{
    private static readonly string KeyA = Convert.ToBase64String(new byte[32]);
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

    [Fact]
    public void Without_keys_the_options_are_valid_and_verification_is_off()
    {
        var options = new VerificationOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.Configured);
    }

    [Theory]
    [InlineData("short", "IndexKey-ok", "Pool:Verification:EncryptionKey")]
    [InlineData("ok", "", "Pool:Verification:IndexKey")]
    [InlineData("same", "same", "must be different keys")]
    public void A_malformed_or_missing_key_is_named(string encryption, string index, string expected)
    {
        var options = new VerificationOptions
        {
            EncryptionKey = encryption switch { "short" => Convert.ToBase64String(new byte[16]), _ => KeyA },
            IndexKey = index switch { "" => "", "same" => KeyA, _ => KeyB },
        };

        Assert.Contains(options.Validate(), problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_out_of_range_are_named()
    {
        var problems = new VerificationOptions { EncryptionKey = KeyA, IndexKey = KeyB, PrefixDigits = 2, MaxChecks = 0 }.Validate().ToList();

        Assert.Contains(problems, p => p.Contains("PrefixDigits", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MaxChecks", StringComparison.Ordinal));
    }
}
