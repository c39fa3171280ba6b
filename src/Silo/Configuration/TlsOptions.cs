using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pool.Silo.Configuration;

/// <summary>
/// Section "Pool:Api:Tls": the server certificate of the gRPC and HTTP endpoints. Without one they
/// speak cleartext, which is only allowed on loopback (or with Pool:Api:AllowInsecure).
/// </summary>
public sealed class TlsOptions
{
    public const string Section = $"{ApiHostOptions.Section}:Tls";

    /// <summary>A PKCS#12 (.pfx/.p12) file, or a PEM certificate (with <see cref="KeyPath"/>, or with the key in the same file).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key; never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The certificate read at start, when one is configured and readable.</summary>
    public X509Certificate2? Certificate { get; private set; }

    internal bool Configured => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Reads the configured certificate (once); returns what stops it from being served.</summary>
    internal List<string> LoadCertificate()
    {
        var errors = new List<string>();
        if (!Configured)
        {
            if (!string.IsNullOrWhiteSpace(KeyPath))
            {
                errors.Add($"{Section}:KeyPath is set but {Section}:CertificatePath is not; set both for a PEM certificate");
            }

            return errors;
        }

        if (!File.Exists(CertificatePath))
        {
            errors.Add($"{Section}:CertificatePath '{CertificatePath}' does not exist");
        }

        var pemKey = !string.IsNullOrWhiteSpace(KeyPath);
        if (pemKey && !File.Exists(KeyPath))
        {
            errors.Add($"{Section}:KeyPath '{KeyPath}' does not exist");
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var password = string.IsNullOrEmpty(CertificatePassword) ? null : CertificatePassword;
        var format = CertificateFormat.Pkcs12;
        try
        {
            format = pemKey ? CertificateFormat.PemWithKeyFile : IsPem(CertificatePath!) ? CertificateFormat.Pem : CertificateFormat.Pkcs12;
            Certificate = Read(format, CertificatePath!, KeyPath, password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The exception text describes the file, never the password.
            errors.Add($"{Section}:CertificatePath '{CertificatePath}' could not be read as {Expected(format)}: {ex.Message}");
            return errors;
        }

        if (!Certificate.HasPrivateKey)
        {
            errors.Add($"{Section}:CertificatePath '{CertificatePath}' holds no private key (export the PKCS#12 file with its key, or give a PEM certificate its {Section}:KeyPath)");
            Certificate.Dispose();
            Certificate = null;
        }

        return errors;
    }

    private static X509Certificate2 Read(CertificateFormat format, string certificatePath, string? keyPath, string? password) => format switch
    {
        CertificateFormat.PemWithKeyFile => password is null
            ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath),
        CertificateFormat.Pem => password is null
            ? X509Certificate2.CreateFromPemFile(certificatePath)
            : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password),
        _ => X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password),
    };

    private static string Expected(CertificateFormat format) => format switch
    {
        CertificateFormat.PemWithKeyFile => $"a PEM certificate with its private key in {Section}:KeyPath (an encrypted key needs {Section}:CertificatePassword)",
        CertificateFormat.Pem => $"a PEM certificate with its private key in the same file (or set {Section}:KeyPath to the key file)",
        _ => $"PKCS#12 (check {Section}:CertificatePassword)",
    };

    private static bool IsPem(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[64];
        var read = file.Read(start);
        return System.Text.Encoding.ASCII.GetString(start[..read]).TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal);
    }

    private enum CertificateFormat
    {
        Pkcs12,
        Pem,
        PemWithKeyFile,
    }
}
