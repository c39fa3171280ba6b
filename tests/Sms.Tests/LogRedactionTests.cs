using Pool.Sms.Logging;

namespace Pool.Sms.Tests;

public sealed class LogRedactionTests
{
    [Theory]
    [InlineData("Activation number/+85251234567 deactivated", "Activation number/+852****4567 deactivated")]
    [InlineData("from +447400123456 to +16502530000.", "from +44****3456 to +1****0000.")]
    [InlineData("no numbers here: 2026-11-23 +5 retries", "no numbers here: 2026-11-23 +5 retries")]
    [InlineData("lease ls_0123456789abcdef counts 12345678", "lease ls_0123456789abcdef counts 12345678")]
    public void Every_E164_number_in_a_log_line_is_masked(string line, string expected) =>
        Assert.Equal(expected, LogRedaction.MaskNumbers(line));
}
