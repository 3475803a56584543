namespace Hangar.Client.Models;

/// <summary>`hangar certificates ca`: the platform CA's certificate (public), its SHA-256 fingerprint and where it lies on the daemon's host.</summary>
public sealed record CertificateAuthorityInfo(string Pem, string Fingerprint, string Path, DateTimeOffset NotAfter);
