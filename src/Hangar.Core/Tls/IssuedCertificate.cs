namespace Hangar.Core.Tls;

/// <summary>A server certificate signed by the platform CA and its private key, both PEM.</summary>
public sealed record IssuedCertificate(string CertificatePem, string PrivateKeyPem)
{
    public override string ToString() => "IssuedCertificate { PrivateKeyPem = *** }";
}
