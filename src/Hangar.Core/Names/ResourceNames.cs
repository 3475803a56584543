namespace Hangar.Core.Names;

/// <summary>The one naming rule for apps, clusters, buckets, volumes and Redis instances.</summary>
public static class ResourceNames
{
    public const string Rule = "lowercase letters, digits and '-', 1-63 characters, starting with a letter";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 63 || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the one-line problem with <paramref name="name"/>, or null when it is valid.</summary>
    public static string? Problem(string kind, string? name) =>
        IsValid(name) ? null : $"invalid {kind} name {Errors.Printable.Quote(name ?? string.Empty)}: {Rule}";
}
