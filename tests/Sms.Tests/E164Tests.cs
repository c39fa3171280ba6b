using Pool.Sms.Numbers;

namespace Pool.Sms.Tests;

public sealed class E164Tests
{
    [Theory]
    [InlineData("+85251234567", "+85251234567")]
    [InlineData(" +852 5123 4567 ", "+85251234567")]
    [InlineData("+44 7911 123456", "+447911123456")]
    [InlineData("+1 (650) 253-0000", "+16502530000")]
    public void Valid_international_numbers_parse_to_canonical_E164(string input, string expected)
    {
        Assert.True(E164.TryParse(input, out var number, out var error), error);
        Assert.Equal(expected, number);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData(null, "is empty")]
    [InlineData("85251234567", "must start with '+'")]
    [InlineData("+8525123", "not a valid number")]
    [InlineData("+abc", "not a phone number")]
    [InlineData("+999123456789", "not a phone number")]
    public void Malformed_numbers_are_refused_with_a_reason(string? input, string reason)
    {
        Assert.False(E164.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+85251234567", "HK")]
    [InlineData("+447400123456", "GB")]
    [InlineData("+447911123456", "GG")]
    [InlineData("+16502530000", "US")]
    public void Region_of_a_number_is_its_ISO_country(string number, string region) =>
        Assert.Equal(region, E164.RegionOf(number));

    [Theory]
    [InlineData("+85251234567", "+852****4567")]
    [InlineData("+447911123456", "+44****3456")]
    [InlineData("+16502530000", "+1****0000")]
    [InlineData("1234", "****")]
    [InlineData("", "")]
    public void Masking_keeps_only_the_country_code_and_last_four_digits(string number, string masked) =>
        Assert.Equal(masked, E164.Mask(number));

    [Fact]
    public void A_masked_number_never_prints_the_full_number()
    {
        var masked = new MaskedNumber("+85251234567");
        Assert.Equal("+852****4567", masked.ToString());
        Assert.DoesNotContain("51234567", $"{masked}", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hk", "HK")]
    [InlineData(" GB ", "GB")]
    public void Countries_normalise_to_upper_case_ISO_codes(string input, string expected)
    {
        Assert.True(Country.TryNormalize(input, out var country, out _));
        Assert.Equal(expected, country);
    }

    [Theory]
    [InlineData("")]
    [InlineData("XX")]
    [InlineData("HKG")]
    [InlineData("1")]
    public void Unknown_countries_are_refused(string input)
    {
        Assert.False(Country.TryNormalize(input, out _, out var error));
        Assert.NotEmpty(error);
    }
}
