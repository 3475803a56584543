namespace Hangar.Postgres.Backups;

/// <summary>
/// A node's pgBackRest files, on its volume beside PGDATA (NODE/pgbackrest/): the config (0600, it holds the S3
/// secret), the async archive spool, logs and locks. Locks are per node because two nodes of a cluster on one host
/// share the stanza name. Patroni and everything it starts get the config's path in <see cref="ConfigVariable"/>, so one
/// cluster-wide archive_command fits every node.
/// </summary>
public sealed record PgBackRestPaths(string Root)
{
    public const string DirectoryName = "pgbackrest";

    /// <summary>pgBackRest takes any option from PGBACKREST_&lt;OPTION&gt;; --config from this one.</summary>
    public const string ConfigVariable = "PGBACKREST_CONFIG";

    public string Directory => Path.Combine(Root, DirectoryName);

    public string ConfigFile => Path.Combine(Directory, "pgbackrest.conf");

    public string SpoolPath => Path.Combine(Directory, "spool");

    public string LogPath => Path.Combine(Directory, "log");

    public string LockPath => Path.Combine(Directory, "lock");

    public static PgBackRestPaths Under(string nodeRoot) => new(Path.GetFullPath(nodeRoot));
}
