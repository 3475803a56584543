namespace Hangar.ObjectStore.Buckets;

internal static class BucketNames
{
    /// <summary>S3's DNS-compatible rule: 3-63 of [a-z0-9.-], starting and ending alphanumeric, no "..".</summary>
    public static bool IsValid(string name)
    {
        if (name.Length is < 3 or > 63 || name.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || c == '.'))
            {
                return false;
            }
        }
        return char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);
    }
}
