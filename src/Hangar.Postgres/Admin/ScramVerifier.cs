using System.Security.Cryptography;
using System.Text;

namespace Hangar.Postgres.Admin;

/// <summary>
/// Computes PostgreSQL's SCRAM-SHA-256 password verifier client-side (RFC 5802/7677, the format of
/// pg_authid.rolpassword). CREATE ROLE ... PASSWORD then carries no plaintext, so the password cannot
/// leak through log_statement, pg_stat_statements or a bootstrap file.
/// </summary>
public static class ScramVerifier
{
    private const int Iterations = 4096;

    public static string Compute(string password)
    {
        // PostgreSQL SASLprep-normalises passwords; for printable ASCII that is the identity, which is the only
        // case we accept (Validate) so the verifier always matches what the server derives at login.
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>The problem with <paramref name="password"/>, or null when it can be used.</summary>
    public static string? Problem(string what, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return $"{what} password must not be empty";
        }

        if (password.Length > 256)
        {
            return $"{what} password must be at most 256 characters";
        }

        foreach (var c in password)
        {
            if (c is < '!' or > '~')
            {
                return $"{what} password may contain only printable ASCII characters without spaces";
            }
        }

        return null;
    }
}
