using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Hangar.ObjectStore.Hosting;

internal static class CertificateStore
{
    /// <summary>Loads the configured PEM pair, or the self-signed one under data-dir/tls, creating it on first start.</summary>
    public static X509Certificate2 Load(S3ServerOptions options, ILogger logger)
    {
        var certPath = options.CertificatePath;
        var keyPath = options.KeyPath;
        if (certPath is null || keyPath is null)
        {
            var dir = Path.Combine(options.DataDir, "tls");
            certPath = Path.Combine(dir, "cert.pem");
            keyPath = Path.Combine(dir, "key.pem");
            if (!File.Exists(certPath) || !File.Exists(keyPath))
            {
                Directory.CreateDirectory(dir);
                Generate(options.Domain, certPath, keyPath);
                Log.CertificateGenerated(logger, certPath);
            }
        }
        return X509Certificate2.CreateFromPemFile(certPath, keyPath);
    }

    private static void Generate(string domain, string certPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Hangar S3", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddDnsName(domain);
        san.AddDnsName("*." + domain);
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        var keyTemp = keyPath + ".tmp";
        File.WriteAllText(keyTemp, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyTemp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(keyTemp, keyPath, overwrite: true);
        File.WriteAllText(certPath + ".tmp", cert.ExportCertificatePem());
        File.Move(certPath + ".tmp", certPath, overwrite: true);
    }
}
