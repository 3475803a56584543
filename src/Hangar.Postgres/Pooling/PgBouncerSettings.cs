namespace Hangar.Postgres.Pooling;

/// <summary>Everything pgbouncer.ini says for one pool; paths are absolute.</summary>
public sealed record PgBouncerSettings
{
    public required string ListenAddress { get; init; }

    public required int ListenPort { get; init; }

    /// <summary>Where server connections go: the cluster port, which always reaches the leader.</summary>
    public required string ServerHost { get; init; }

    public required int ServerPort { get; init; }

    public required string Directory { get; init; }

    /// <summary>The role auth_query runs as (the cluster's admin role); its password is in the auth file.</summary>
    public required string AuthUser { get; init; }

    /// <summary>The only user of the admin console (PAUSE, RESUME, SHOW); its password is in the auth file.</summary>
    public required string AdminUser { get; init; }

    public required string PoolMode { get; init; }

    public required int PoolSize { get; init; }

    /// <summary>Server connections per database, over every user (max_db_connections).</summary>
    public required int MaxDatabaseConnections { get; init; }

    public required int MaxClientConnections { get; init; }

    public string ConfigPath => Path.Combine(Directory, "pgbouncer.ini");

    public string AuthFile => Path.Combine(Directory, "userlist.txt");

    public string CertificateFile => Path.Combine(Directory, "server.crt");

    public string KeyFile => Path.Combine(Directory, "server.key");

    public string PidFile => Path.Combine(Directory, "pgbouncer.pid");
}
