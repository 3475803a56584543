namespace Hangar.Postgres.Admin;

/// <summary>
/// Database and role names. Hangar only creates plain lowercase identifiers, so a name means the same thing
/// quoted or unquoted in the user's own SQL; everything is still quoted when sent.
/// </summary>
public static class PostgresNames
{
    public const string Rule = "lowercase letters, digits and '_', 1-63 characters, starting with a letter or '_', not starting with 'pg_'";

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "postgres", "template0", "template1", "public", "all", "none", "current_user", "session_user", "current_role",
    };

    /// <summary>flyctl's mapping: database and user are named after the app, with '-' turned into '_'.</summary>
    public static string FromAppName(string appName)
    {
        ArgumentNullException.ThrowIfNull(appName);
        return appName.Replace('-', '_').ToLowerInvariant();
    }

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 63 || name.StartsWith("pg_", StringComparison.Ordinal))
        {
            return false;
        }

        if (name[0] is not ((>= 'a' and <= 'z') or '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The one-line problem with <paramref name="name"/>, or null when it is valid.</summary>
    public static string? Problem(string kind, string? name) =>
        IsValid(name) ? null : $"invalid {kind} name '{name}': {Rule}";

    /// <summary>Like <see cref="Problem"/>, but also refusing names PostgreSQL or Hangar already use.</summary>
    internal static string? ProblemForNew(string kind, string? name, IEnumerable<string> internalNames)
    {
        if (Problem(kind, name) is { } problem)
        {
            return problem;
        }

        return Reserved.Contains(name!) || internalNames.Contains(name, StringComparer.Ordinal)
            ? $"invalid {kind} name '{name}': reserved"
            : null;
    }

    /// <summary>A quoted identifier; the names are validated already, quoting guards against keywords.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal (standard_conforming_strings is on since PostgreSQL 9.1).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
