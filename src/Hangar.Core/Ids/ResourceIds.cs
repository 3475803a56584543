using System.Security.Cryptography;

namespace Hangar.Core.Ids;

/// <summary>Random ids with a kind prefix, as Fly's (<c>vol_</c>, <c>vs_</c>).</summary>
public static class ResourceIds
{
    public const string VolumePrefix = "vol_";
    public const string SnapshotPrefix = "vs_";
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix, int length = 16) =>
        prefix + RandomNumberGenerator.GetString(Alphabet, length);

    public static bool IsValid(string? id, string prefix)
    {
        if (id is null || !id.StartsWith(prefix, StringComparison.Ordinal) || id.Length <= prefix.Length || id.Length > prefix.Length + 32)
        {
            return false;
        }

        foreach (var c in id.AsSpan(prefix.Length))
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
