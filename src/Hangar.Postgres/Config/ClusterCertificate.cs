using Hangar.Core.Tls;

namespace Hangar.Postgres.Config;

/// <summary>
/// A cluster's server certificate, signed by the platform CA (so clients verify it with sslmode=verify-full and the
/// CA as sslrootcert) and shared by all its nodes. Stored with the cluster record.
/// </summary>
public sealed record ClusterCertificate(string CertificatePem, string PrivateKeyPem)
{
    /// <summary>
    /// Every name a client may dial: the cluster name, localhost and the loopback addresses (a client on the host), and
    /// <paramref name="hosts"/> (the advertise address that DATABASE_URL carries).
    /// </summary>
    public static ClusterCertificate Create(string clusterName, IEnumerable<string> hosts, CertificateAuthority authority, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(authority);
        var issued = authority.Issue(clusterName, [clusterName, "localhost", "127.0.0.1", "::1", .. hosts], timeProvider);
        return new ClusterCertificate(issued.CertificatePem, issued.PrivateKeyPem);
    }

    public override string ToString() => "ClusterCertificate { PrivateKeyPem = *** }";
}
