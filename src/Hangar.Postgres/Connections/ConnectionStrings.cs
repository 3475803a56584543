using System.Globalization;
using Npgsql;

namespace Hangar.Postgres.Connections;

/// <summary>The two spellings of one connection: the URL apps get as DATABASE_URL, and Npgsql's key=value form.</summary>
public static class ConnectionStrings
{
    /// <summary>
    /// postgres://user:password@host:port/database[?sslmode=...], every part percent-encoded, IPv6 hosts in
    /// brackets — what libpq, Prisma, SQLAlchemy, Rails and node-postgres all parse.
    /// </summary>
    public static string Url(string user, string password, string host, int port, string database, string? sslMode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(database);
        var hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        var url = string.Create(
            CultureInfo.InvariantCulture,
            $"postgres://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{hostPart}:{port}/{Uri.EscapeDataString(database)}");
        return sslMode is null ? url : url + "?sslmode=" + Uri.EscapeDataString(sslMode);
    }

    /// <summary>What is shown for a password that must not be printed.</summary>
    public const string MaskedPassword = "********";

    /// <summary>
    /// The URL with its password replaced by <see cref="MaskedPassword"/>, for output and errors; anything that does
    /// not parse as a URL with a password is returned as it is.
    /// </summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        // The last '@' before the path ends the user info: a raw '@' in a password is not percent-encoded by everyone.
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], scheme + 3);
        var at = url.LastIndexOf('@', authorityEnd < 0 ? url.Length - 1 : authorityEnd - 1);
        if (at < scheme + 3)
        {
            return url;
        }

        var colon = url.IndexOf(':', scheme + 3, at - scheme - 3);
        return colon < 0 ? url : string.Concat(url.AsSpan(0, colon + 1), MaskedPassword, url.AsSpan(at));
    }

    /// <summary>Npgsql's form; values are escaped by the builder, so any password is safe.</summary>
    public static string Npgsql(string user, string password, string host, int port, string database, SslMode sslMode = SslMode.Prefer)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Username = user,
            Password = password,
            Database = database,
            SslMode = sslMode,
        };
        return builder.ConnectionString;
    }

    /// <summary>Parses a postgres:// or postgresql:// URL (as <see cref="Url"/> writes it) into an Npgsql connection string.</summary>
    public static string NpgsqlFromUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new FormatException("expected a postgres:// URL");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(userInfo[0]),
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && kv[0] == "sslmode" && Enum.TryParse<SslMode>(Uri.UnescapeDataString(kv[1]).Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode))
            {
                builder.SslMode = mode;
            }
        }

        return builder.ConnectionString;
    }
}
