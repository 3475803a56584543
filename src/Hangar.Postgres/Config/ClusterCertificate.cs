using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hangar.Postgres.Config;

/// <summary>
/// A cluster's self-signed server certificate, shared by all its nodes so that a client pinning it
/// (sslmode=verify-ca with this as the root) keeps working across failovers. Stored with the cluster record.
/// </summary>
public sealed record ClusterCertificate(string CertificatePem, string PrivateKeyPem)
{
    /// <summary>
    /// ECDSA P-256 (fast handshakes, small keys), valid for ten years, with every node address and the cluster
    /// name as subject alternative names.
    /// </summary>
    public static ClusterCertificate Create(string clusterName, IEnumerable<string> hosts, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={clusterName}, O=Hangar", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(clusterName);
        names.AddDnsName("localhost");
        foreach (var host in hosts.Distinct(StringComparer.Ordinal))
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
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
        var now = timeProvider.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        return new ClusterCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public override string ToString() => "ClusterCertificate { PrivateKeyPem = *** }";
}
