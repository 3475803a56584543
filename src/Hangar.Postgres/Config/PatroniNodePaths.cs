namespace Hangar.Postgres.Config;

/// <summary>
/// Where one node keeps its files. Everything lives under <see cref="Root"/> (the node's volume) so that a
/// volume fork carries the whole node, and ownership can be set on one tree; a snapshot leaves out the
/// <see cref="CredentialFiles"/>.
/// </summary>
public sealed record PatroniNodePaths
{
    public required string Root { get; init; }

    /// <summary>PGDATA. Must be empty or absent before the first start: initdb or pg_basebackup fills it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>unix_socket_directories; kept short because a socket path may not exceed 107 bytes.</summary>
    public required string SocketDirectory { get; init; }

    public string ConfigFile => Path.Combine(Root, "patroni.json");

    public string CertificateFile => Path.Combine(Root, "tls", "server.crt");

    public string KeyFile => Path.Combine(Root, "tls", "server.key");

    /// <summary>Patroni's own pgpass; the default (~postgres/pgpass) would be shared by every node on the host.</summary>
    public string PgPassFile => Path.Combine(Root, "pgpass");

    /// <summary>Hangar's launcher for Patroni (see Nodes/hangar_patroni.py), rewritten on every prepare.</summary>
    public string Launcher => Path.Combine(Root, "hangar_patroni.py");

    public string PostBootstrapScript => Path.Combine(Root, "post-bootstrap.sh");

    public string PostBootstrapSql => Path.Combine(Root, "post-bootstrap.sql");

    /// <summary>
    /// The files that hold credentials (passwords in patroni.json and pgpass, the admin's verifier, the TLS key, the
    /// backup repository's S3 secret in pgbackrest.conf) and the
    /// ".tmp" names they are written through, relative to <see cref="Root"/>: never put in a snapshot, since a node made
    /// from one is given its own cluster's files and passwords anyway.
    /// </summary>
    public IReadOnlyList<string> CredentialFiles =>
        [.. new[] { ConfigFile, PgPassFile, PostBootstrapSql, KeyFile, Backups.PgBackRestPaths.Under(Root).ConfigFile }.SelectMany(file => new[] { file, file + ".tmp" }).Select(file => Path.GetRelativePath(Root, file))];

    public static PatroniNodePaths Under(string root)
    {
        var full = Path.GetFullPath(root);
        return new PatroniNodePaths
        {
            Root = full,
            DataDirectory = Path.Combine(full, "data"),
            SocketDirectory = Path.Combine(full, "run"),
        };
    }
}
