using Pool.Carriers.Http;

namespace Pool.Carriers.Tests.Http;

public sealed class CarrierSignatureTests
{
    [Fact]
    public void A_carrier_signature_is_hex_HMAC_SHA256_of_timestamp_dot_body_and_verifies_only_unchanged()
    {
        var body = System.Text.Encoding.UTF8.GetBytes("{\"message_id\":\"m1\"}");

        var signature = CarrierSignature.Sign("secret", 1700000000, body);

        Assert.Equal("v1=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("secret"u8, System.Text.Encoding.UTF8.GetBytes("1700000000.{\"message_id\":\"m1\"}"))), signature);
        Assert.True(CarrierSignature.Verify("secret", 1700000000, body, signature));
        Assert.False(CarrierSignature.Verify("secret", 1700000001, body, signature));
        Assert.False(CarrierSignature.Verify("other", 1700000000, body, signature));
        Assert.False(CarrierSignature.Verify("secret", 1700000000, System.Text.Encoding.UTF8.GetBytes("{\"message_id\":\"m2\"}"), signature));
    }
}
