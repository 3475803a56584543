using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hangar.Core.Unix;

namespace Hangar.Core.Tls;

/// <summary>
/// The platform CA: one per data dir, made at the daemon's first start, signing the certificates of every Postgres
/// cluster and of the S3 server so that clients verify them (node-postgres, pgBackRest and the AWS SDKs do) with one
/// root. ECDSA P-256 throughout: fast handshakes, small keys, accepted by OpenSSL, .NET and Node alike.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    public const string CertificateFileName = "ca.crt";
    public const string KeyFileName = "ca.key";

    public static readonly TimeSpan Validity = TimeSpan.FromDays(3652);

    /// <summary>Leaf certificates: long enough that nobody renews by hand, short enough to stay under two years.</summary>
    public static readonly TimeSpan LeafValidity = TimeSpan.FromDays(700);

    /// <summary>A leaf with less left than this is re-issued when next written out.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(60);

    // The CA certificate is public (apps read it to verify servers); the key is the daemon's alone.
    private const UnixFileMode WorldReadable = FileModes.OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly X509Certificate2 _certificate;

    private CertificateAuthority(X509Certificate2 certificate)
    {
        _certificate = certificate;
        CertificatePem = certificate.ExportCertificatePem() + "\n";
        Fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    public string CertificatePem { get; }

    /// <summary>SHA-256 of the DER certificate, upper-case hex (what `openssl x509 -fingerprint -sha256` shows, without colons).</summary>
    public string Fingerprint { get; }

    public DateTimeOffset NotAfter => _certificate.NotAfter;

    public static CertificateAuthority Create(string commonName, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}, O=Hangar"), key, HashAlgorithmName.SHA256);

        // Path length 0: this CA signs servers only, never another CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = timeProvider.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
        return FromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public static CertificateAuthority FromPem(string certificatePem, string privateKeyPem)
    {
        return new CertificateAuthority(X509Certificate2.CreateFromPem(certificatePem, privateKeyPem));
    }

    /// <summary>
    /// DIR/ca.crt and DIR/ca.key: loaded when the certificate exists, else made. Crash-safe: both are written to temporary
    /// names, flushed, and renamed key first, certificate last, so the certificate's presence means the pair is whole;
    /// a crash before that leaves no certificate and the next start makes a new CA (nothing was signed by the lost one).
    /// </summary>
    public static CertificateAuthority LoadOrCreate(string directory, TimeProvider timeProvider)
    {
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certificatePath))
        {
            if (!File.Exists(keyPath))
            {
                throw new Errors.HangarException(Errors.ErrorCodes.FailedPrecondition, $"{certificatePath} exists without its key {keyPath}; restore the key or remove both to make a new CA (clients must then trust the new one)");
            }

            return FromPem(File.ReadAllText(certificatePath), File.ReadAllText(keyPath));
        }

        var authority = Create($"Hangar CA {Environment.MachineName}", timeProvider);
        WriteAtomically(keyPath, authority._certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), FileModes.OwnerFile);
        WriteAtomically(certificatePath, authority.CertificatePem, WorldReadable);
        return authority;
    }

    /// <summary>
    /// A server certificate for <paramref name="hosts"/> (DNS names, wildcards, IP addresses), signed by this CA. With
    /// <paramref name="addressesAsDnsNamesToo"/>, each IP address is also a DNS name: pgBackRest (2.45) matches the host
    /// against DNS names only, and verifiers that know IP SANs ignore the extra entries for an IP host.
    /// </summary>
    public IssuedCertificate Issue(string commonName, IEnumerable<string> hosts, TimeProvider timeProvider, bool addressesAsDnsNamesToo = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}, O=Hangar"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
            {
                names.AddIpAddress(address);
                if (addressesAsDnsNamesToo)
                {
                    names.AddDnsName(address.ToString());
                }
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));

        var now = timeProvider.GetUtcNow();
        var notAfter = now + LeafValidity;
        if (notAfter > _certificate.NotAfter)
        {
            notAfter = _certificate.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive, as RFC 5280 asks
        using var certificate = request.Create(_certificate, now.AddMinutes(-5), notAfter, serial);
        return new IssuedCertificate(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>True when <paramref name="certificatePem"/> chains to this CA and has more than <see cref="RenewBefore"/> left.</summary>
    public bool IsCurrent(string certificatePem, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            return false;
        }

        using (leaf)
        {
            return leaf.NotAfter.ToUniversalTime() - timeProvider.GetUtcNow().UtcDateTime > RenewBefore && Verifies(leaf, timeProvider);
        }
    }

    /// <summary>Chain validation with this CA as the only trust anchor, no revocation (there is no CRL to fetch).</summary>
    public bool Verifies(X509Certificate2 leaf, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = timeProvider.GetUtcNow().UtcDateTime;
        return chain.Build(leaf);
    }

    public void Dispose() => _certificate.Dispose();

    private static void WriteAtomically(string path, string text, UnixFileMode mode)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        // FileMode.Create keeps the mode of a stale temporary file left by a crash; set it again.
        File.SetUnixFileMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Exposed for the S3 server's leaf files, which follow the same write discipline.</summary>
    public static void WriteFile(string path, string text, bool secret) => WriteAtomically(path, text, secret ? FileModes.OwnerFile : WorldReadable);
}
