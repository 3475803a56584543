using System.Net;
using System.Security.Cryptography.X509Certificates;
using Hangar.Core.Errors;
using Hangar.Core.Tls;
using Xunit;

namespace Hangar.Core.Tests.Tls;

public sealed class CertificateAuthorityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hangar-ca-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void An_issued_certificate_chains_to_its_ca_and_not_to_another()
    {
        using var authority = CertificateAuthority.Create("test", TimeProvider.System);
        using var other = CertificateAuthority.Create("test", TimeProvider.System);
        var issued = authority.Issue("db", ["db", "127.0.0.1"], TimeProvider.System);
        using var leaf = X509Certificate2.CreateFromPem(issued.CertificatePem, issued.PrivateKeyPem);

        Assert.True(authority.Verifies(leaf, TimeProvider.System));
        Assert.False(other.Verifies(leaf, TimeProvider.System));
        Assert.True(leaf.HasPrivateKey);
        Assert.Equal(new X500DistinguishedName("CN=test, O=Hangar").Name, leaf.IssuerName.Name);
    }

    [Fact]
    public void The_ca_may_sign_servers_only_and_the_leaf_is_a_server_certificate()
    {
        using var authority = CertificateAuthority.Create("test", TimeProvider.System);
        using var ca = X509Certificate2.CreateFromPem(authority.CertificatePem);
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.InRange(ca.NotAfter - ca.NotBefore, TimeSpan.FromDays(3650), TimeSpan.FromDays(3660));

        using var leaf = X509Certificate2.CreateFromPem(authority.Issue("s3", ["s3.localhost"], TimeProvider.System).CertificatePem);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Contains(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.InRange(leaf.NotAfter - leaf.NotBefore, TimeSpan.FromDays(365), TimeSpan.FromDays(731));
    }

    [Fact]
    public void Every_host_is_a_subject_alternative_name_of_its_kind()
    {
        using var authority = CertificateAuthority.Create("test", TimeProvider.System);
        var issued = authority.Issue("s3", ["s3.localhost", "*.s3.localhost", "localhost", "127.0.0.1", "::1", "10.1.2.3", "[fe80::1]"], TimeProvider.System);
        using var leaf = X509Certificate2.CreateFromPem(issued.CertificatePem);
        var names = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal(["s3.localhost", "*.s3.localhost", "localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.1.2.3"), IPAddress.Parse("fe80::1")], names.EnumerateIPAddresses());
        Assert.True(leaf.MatchesHostname("bucket.s3.localhost"));
        Assert.True(leaf.MatchesHostname("127.0.0.1"));
        Assert.False(leaf.MatchesHostname("example.com"));
    }

    [Fact]
    public void Addresses_can_be_dns_names_too_for_clients_that_match_dns_names_only()
    {
        using var authority = CertificateAuthority.Create("test", TimeProvider.System);
        var issued = authority.Issue("s3", ["s3.localhost", "127.0.0.1", "::1"], TimeProvider.System, addressesAsDnsNamesToo: true);
        using var leaf = X509Certificate2.CreateFromPem(issued.CertificatePem);
        var names = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal(["s3.localhost", "127.0.0.1", "::1"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
    }

    [Fact]
    public void First_start_writes_a_public_certificate_and_a_private_key_and_later_starts_load_them()
    {
        string fingerprint;
        using (var made = CertificateAuthority.LoadOrCreate(_dir, TimeProvider.System))
        {
            fingerprint = made.Fingerprint;
        }

        var certificate = Path.Combine(_dir, "ca.crt");
        var key = Path.Combine(_dir, "ca.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(certificate));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));

        using var loaded = CertificateAuthority.LoadOrCreate(_dir, TimeProvider.System);
        Assert.Equal(fingerprint, loaded.Fingerprint);
        Assert.Equal(File.ReadAllText(certificate), loaded.CertificatePem);

        // The loaded key still signs what the saved certificate verifies.
        using var leaf = X509Certificate2.CreateFromPem(loaded.Issue("db", ["db"], TimeProvider.System).CertificatePem);
        using var again = CertificateAuthority.LoadOrCreate(_dir, TimeProvider.System);
        Assert.True(again.Verifies(leaf, TimeProvider.System));
    }

    [Fact]
    public void A_half_written_ca_is_never_used()
    {
        // A crash after the key was renamed into place but before the certificate: a key alone and a partial temp file.
        File.WriteAllText(Path.Combine(_dir, "ca.key"), "-----BEGIN PRIVATE KEY-----\ntruncated");
        File.WriteAllText(Path.Combine(_dir, "ca.crt.tmp"), "-----BEGIN CERT");

        using var authority = CertificateAuthority.LoadOrCreate(_dir, TimeProvider.System);

        Assert.Equal(authority.CertificatePem, File.ReadAllText(Path.Combine(_dir, "ca.crt")));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(_dir, "ca.key")), StringComparison.Ordinal);
        Assert.DoesNotContain("truncated", File.ReadAllText(Path.Combine(_dir, "ca.key")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_its_key_is_refused_with_the_paths()
    {
        using (CertificateAuthority.LoadOrCreate(_dir, TimeProvider.System))
        {
        }

        File.Delete(Path.Combine(_dir, "ca.key"));
        var error = Assert.Throws<HangarException>(() => CertificateAuthority.LoadOrCreate(_dir, TimeProvider.System));
        Assert.Contains(Path.Combine(_dir, "ca.key"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_is_current_until_near_expiry_and_only_from_this_ca()
    {
        using var authority = CertificateAuthority.Create("test", TimeProvider.System);
        using var other = CertificateAuthority.Create("test", TimeProvider.System);
        var pem = authority.Issue("db", ["db"], TimeProvider.System).CertificatePem;

        Assert.True(authority.IsCurrent(pem, TimeProvider.System));
        Assert.False(other.IsCurrent(pem, TimeProvider.System));
        Assert.False(authority.IsCurrent(pem, new ShiftedTime(CertificateAuthority.LeafValidity - CertificateAuthority.RenewBefore + TimeSpan.FromDays(1))));
        Assert.False(authority.IsCurrent("not a certificate", TimeProvider.System));
    }
}
