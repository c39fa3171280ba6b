using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pool.Testing;

/// <summary>
/// A self-signed server certificate for 127.0.0.1 and localhost, written to temporary files (PKCS#12,
/// and PEM on request) that are deleted on dispose; clients trust exactly this certificate.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private readonly List<string> _files = [];

    private TestCertificate(X509Certificate2 certificate, string password, string pfxPath)
    {
        Certificate = certificate;
        Password = password;
        PfxPath = pfxPath;
        _files.Add(pfxPath);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The password of <see cref="PfxPath"/>.</summary>
    public string Password { get; }

    /// <summary>The certificate and its private key as a password-protected PKCS#12 file.</summary>
    public string PfxPath { get; }

    public static TestCertificate Create(string password = "pool-test-password")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));

        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        var pfxPath = Path.Combine(Path.GetTempPath(), $"pool-test-{Guid.NewGuid():n}.pfx");
        File.WriteAllBytes(pfxPath, certificate.Export(X509ContentType.Pfx, password));
        return new TestCertificate(certificate, password, pfxPath);
    }

    /// <summary>Writes the certificate and its unencrypted private key as two PEM files.</summary>
    public (string CertificatePath, string KeyPath) WritePem()
    {
        var stem = Path.Combine(Path.GetTempPath(), $"pool-test-{Guid.NewGuid():n}");
        var (certificatePath, keyPath) = ($"{stem}.crt", $"{stem}.key");
        File.WriteAllText(certificatePath, Certificate.ExportCertificatePem());
        using var key = Certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        _files.Add(certificatePath);
        _files.Add(keyPath);
        return (certificatePath, keyPath);
    }

    /// <summary>A handler that trusts this certificate and nothing else (host name checks still apply).</summary>
    public HttpClientHandler TrustingOnlyThis() => Trusting(Certificate);

    /// <summary>A handler that accepts a server only if it presents <paramref name="trusted"/> for the requested host.</summary>
    public static HttpClientHandler Trusting(X509Certificate2 trusted) => new()
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, errors) =>
        {
            if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(presented);
        },
    };

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }

        Certificate.Dispose();
    }
}
