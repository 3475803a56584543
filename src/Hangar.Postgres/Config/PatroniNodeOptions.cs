namespace Hangar.Postgres.Config;

/// <summary>Desired configuration of one Patroni-managed PostgreSQL node; input to <see cref="PatroniConfig"/>.</summary>
public sealed record PatroniNodeOptions
{
    public const string Namespace = "/hangar-pg/";
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>Patroni's scope: every node of a cluster shares it.</summary>
    public required string ClusterName { get; init; }

    public required string NodeName { get; init; }

    /// <summary>host:port of etcd v3 client endpoints.</summary>
    public required IReadOnlyList<string> EtcdHosts { get; init; }

    public required int PostgresPort { get; init; }

    public required int RestApiPort { get; init; }

    /// <summary>listen_addresses and the REST API bind address. Loopback unless the cluster spans hosts.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The address other nodes and the proxy reach this node at; defaults to <see cref="BindAddress"/>.</summary>
    public string? AdvertiseAddress { get; init; }

    public required PatroniNodePaths Paths { get; init; }

    public required PatroniCredentials Credentials { get; init; }

    /// <summary>
    /// The production preset: a commit returns only once a standby has it, so a failover loses no
    /// acknowledged write. Not strict: with no standby left the leader keeps accepting writes alone.
    /// </summary>
    public bool SynchronousMode { get; init; }

    public PatroniTiming Timing { get; init; } = PatroniTiming.Fast;

    /// <summary>Cluster-wide PostgreSQL parameters for bootstrap; later changes go through PATCH /config.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Addresses (CIDR) replicas connect from for streaming and pg_basebackup. Defaults to loopback plus
    /// this node's advertise address; a multi-host cluster lists its peers.
    /// </summary>
    public IReadOnlyList<string>? ReplicationSources { get; init; }

    /// <summary>Reject non-TLS TCP connections (hostssl only). Off by default: local apps often use sslmode=disable.</summary>
    public bool RequireSsl { get; init; }

    public string BinDirectory { get; init; } = DefaultBinDirectory;

    /// <summary>
    /// When set, the node that bootstraps the cluster runs this script (Patroni's custom bootstrap method) instead
    /// of initdb: it must leave a PostgreSQL data directory in place (a fork's base backup, a restored snapshot).
    /// Patroni then starts it as the new cluster's first primary, and post_bootstrap runs as after initdb.
    /// </summary>
    public string? BootstrapCommand { get; init; }

    public string EffectiveAdvertiseAddress => AdvertiseAddress ?? BindAddress;
}
