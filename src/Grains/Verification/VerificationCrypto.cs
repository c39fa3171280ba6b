using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pool.Contracts.Errors;

namespace Pool.Grains.Verification;

/// <summary>
/// The secrets of outbound verification. The code is kept twice: as an HMAC-SHA256 (what checks compare,
/// in constant time) and encrypted with AES-256-GCM, because a resend must send the very same code and a
/// hash cannot give it back. The end user's number is kept only encrypted, and found by its keyed hash
/// (also of its leading digits, for the per-prefix limit). Every ciphertext is bound to its verification
/// and purpose (associated data), so one cannot be swapped for another.
/// </summary>
public sealed class VerificationCrypto(IOptions<VerificationOptions> options)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[]? _encryptionKey = VerificationOptions.Decode(options.Value.EncryptionKey);
    private readonly byte[]? _indexKey = VerificationOptions.Decode(options.Value.IndexKey);

    private byte[] EncryptionKey => _encryptionKey ?? throw NotConfigured();

    private byte[] IndexKey => _indexKey ?? throw NotConfigured();

    /// <summary>Throws Unavailable (naming the settings) when the keys are not configured.</summary>
    public void EnsureConfigured()
    {
        _ = EncryptionKey;
        _ = IndexKey;
    }

    public byte[] NumberIndex(string e164) => Hmac($"number\n{e164}");

    public byte[] PrefixIndex(string prefix) => Hmac($"prefix\n{prefix}");

    public byte[] CodeHash(string verificationId, string code) => Hmac($"code\n{verificationId}\n{code}");

    public byte[] Encrypt(string purpose, string verificationId, string plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedData = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedData.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(EncryptionKey, TagSize);
        aes.Encrypt(nonce, data, sealedData.AsSpan(NonceSize + TagSize), sealedData.AsSpan(NonceSize, TagSize), Associated(purpose, verificationId));
        return sealedData;
    }

    public string Decrypt(string purpose, string verificationId, byte[] sealedData)
    {
        var plaintext = new byte[sealedData.Length - NonceSize - TagSize];
        using var aes = new AesGcm(EncryptionKey, TagSize);
        aes.Decrypt(sealedData.AsSpan(0, NonceSize), sealedData.AsSpan(NonceSize + TagSize), sealedData.AsSpan(NonceSize, TagSize), plaintext, Associated(purpose, verificationId));
        return Encoding.UTF8.GetString(plaintext);
    }

    private byte[] Hmac(string value) => HMACSHA256.HashData(IndexKey, Encoding.UTF8.GetBytes(value));

    private static byte[] Associated(string purpose, string verificationId) => Encoding.UTF8.GetBytes($"{purpose}\n{verificationId}");

    private static PoolException NotConfigured() => new(
        PoolErrorCode.Unavailable,
        $"outbound verification is not configured on this server: set {VerificationOptions.Section}:EncryptionKey and {VerificationOptions.Section}:IndexKey");
}
