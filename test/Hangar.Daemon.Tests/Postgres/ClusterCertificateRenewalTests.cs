using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Hangar.Core.Resources;
using Hangar.Core.Tls;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Security;
using Hangar.Postgres.Config;
using Hangar.Volumes;
using Xunit;

namespace Hangar.Daemon.Tests.Postgres;

/// <summary>Which certificate a node is given: the stored one while the CA vouches for it, else a fresh one from the CA.</summary>
public sealed class ClusterCertificateRenewalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hangar-cert-").FullName;
    private readonly CertificateAuthority _authority = CertificateAuthority.Create("test", TimeProvider.System);
    private readonly PostgresRuntime _runtime;

    public ClusterCertificateRenewalTests()
    {
        var data = new DataDirectory(_root);
        _runtime = new PostgresRuntime(new SecretBox(RandomNumberGenerator.GetBytes(32)), new DaemonOptions { DataDir = _root, AdvertiseAddress = "10.0.0.7" }, data, new VolumeDisk(Path.Combine(_root, "v"), Path.Combine(_root, "s")), _authority, TimeProvider.System);
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _authority.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void A_new_cluster_certificate_comes_from_the_ca_for_the_advertise_address_and_loopback()
    {
        var stored = _runtime.NewCertificate("db");
        using var leaf = X509Certificate2.CreateFromPem(stored.CertificatePem);
        Assert.True(_authority.Verifies(leaf, TimeProvider.System));
        foreach (var host in new[] { "10.0.0.7", "127.0.0.1", "localhost", "db" })
        {
            Assert.True(leaf.MatchesHostname(host), host);
        }

        Assert.Equal(stored, _runtime.ServerCertificate(Record("db", stored)));
    }

    [Fact]
    public void A_cluster_from_before_the_ca_gets_a_certificate_from_it_at_its_next_node_start()
    {
        // What ClusterCertificate.Create made before the platform CA: a self-signed certificate.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var selfSigned = new CertificateRequest("CN=old", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        var old = new ClusterCertificate(selfSigned.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());

        var served = _runtime.ServerCertificate(Record("old", old));

        Assert.NotEqual(old.CertificatePem, served.CertificatePem);
        using var leaf = X509Certificate2.CreateFromPem(served.CertificatePem, served.PrivateKeyPem);
        Assert.True(_authority.Verifies(leaf, TimeProvider.System));
        Assert.True(leaf.MatchesHostname("10.0.0.7"));
    }

    private PostgresRecord Record(string name, ClusterCertificate certificate) => new()
    {
        Name = name,
        Region = "local",
        CreatedAt = DateTimeOffset.UtcNow,
        Preset = "development",
        NodeCount = 1,
        VolumeSizeGb = 1,
        Synchronous = false,
        CredentialsCiphertext = string.Empty,
        CertificateCiphertext = _runtime.EncryptCertificate(name, certificate),
    };
}
