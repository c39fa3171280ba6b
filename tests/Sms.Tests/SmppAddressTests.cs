using Pool.Sms.Numbers;

namespace Pool.Sms.Tests;

public sealed class SmppAddressTests
{
    [Theory]
    [InlineData("85251880000", 1, 1, null, "+85251880000")]
    [InlineData("+85251880000", 1, 1, null, "+85251880000")]
    [InlineData("0085251880000", 1, 1, null, "+85251880000")]
    [InlineData("51880000", 2, 1, "HK", "+85251880000")]
    [InlineData("07911123456", 2, 1, "GB", "+447911123456")]
    [InlineData("51880000", 4, 0, "HK", "+85251880000")]
    [InlineData("+85251880000", 0, 0, null, "+85251880000")]
    [InlineData("0085251880000", 0, 1, "GB", "+85251880000")]
    [InlineData("85251880000", 0, 1, "GB", "+85251880000")]
    [InlineData("51880000", 0, 1, "HK", "+85251880000")]
    [InlineData("07911123456", 0, 0, "GB", "+447911123456")]
    public void Addresses_normalise_to_e164_by_their_type_of_number(string address, int ton, int npi, string? region, string e164)
    {
        Assert.True(SmppAddress.TryNormalize(address, (byte)ton, (byte)npi, region, out var number, out var problem), problem);
        Assert.Equal(e164, number);
    }

    [Theory]
    [InlineData("Pool", 5, 0, "HK", "alphanumeric")]
    [InlineData("12345", 6, 0, "HK", "abbreviated")]
    [InlineData("51880000", 2, 1, null, "no region")]
    [InlineData("51880000", 1, 14, "HK", "NPI 14")]
    [InlineData("1234567890123456", 1, 1, null, "not an international number")]
    [InlineData("", 1, 1, null, "empty")]
    [InlineData("12", 0, 1, "HK", "neither a valid international number nor a valid national number")]
    public void Addresses_that_are_not_phone_numbers_say_why(string address, int ton, int npi, string? region, string reason)
    {
        Assert.False(SmppAddress.TryNormalize(address, (byte)ton, (byte)npi, region, out var number, out var problem));
        Assert.Null(number);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+85251234567", 1, 1, "85251234567")]
    [InlineData("72512", 0, 1, "72512")]
    [InlineData("Pool", 5, 0, "Pool")]
    [InlineData("PoolAlerts1", 5, 0, "PoolAlerts1")]
    public void Submit_addresses_carry_the_type_of_number_and_plan_for_what_they_are(string address, int ton, int npi, string sent)
    {
        Assert.Equal(new SmppAddress((byte)ton, (byte)npi, sent), SmppAddress.ForSubmit(address));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("+852-5123")]
    [InlineData("+1234567890123456")]
    [InlineData("PoolAlerts12")]
    [InlineData("123456789012345678901")]
    public void Submit_addresses_that_fit_no_smpp_address_are_refused(string address)
    {
        Assert.Throws<ArgumentException>(() => SmppAddress.ForSubmit(address));
    }
}
