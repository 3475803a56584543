using System.Security.Cryptography;
using System.Text;

namespace Hangar.Daemon.Security;

/// <summary>The admin bearer token. Compared in constant time over SHA-256 digests so neither content nor length leaks.</summary>
internal sealed class ApiToken(string value)
{
    private readonly byte[] _digest = SHA256.HashData(Encoding.UTF8.GetBytes(value));

    public string Value { get; } = value;

    public static ApiToken New() => new("hgr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(_digest, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
