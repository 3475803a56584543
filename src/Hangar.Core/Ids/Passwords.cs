using System.Security.Cryptography;

namespace Hangar.Core.Ids;

/// <summary>Generated credentials: URL-safe so they can sit in a connection string unescaped.</summary>
public static class Passwords
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(int length = 24) => RandomNumberGenerator.GetString(Alphabet, length);
}
