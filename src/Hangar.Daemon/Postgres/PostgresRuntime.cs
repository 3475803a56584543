using System.Net.Sockets;
using System.Text.Json;
using Hangar.Core.Resources;
using Hangar.Core.Tls;
using Hangar.Core.Unix;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Security;
using Hangar.Postgres.Config;
using Hangar.Postgres.Connections;
using Hangar.Postgres.Nodes;
using Hangar.Postgres.Operations;
using Hangar.Postgres.Rest;
using Hangar.Proxy.Configuration;
using Hangar.Supervision;
using Hangar.Volumes;
using Npgsql;
using ProxyStatusDocument = Hangar.Proxy.Status.ProxyStatus;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// What the Postgres reconciler and service share about a cluster: its decrypted credentials, each node's Patroni
/// options and process spec, the proxy's process spec and config, and clients for Patroni and the admin role.
/// Nothing here decides anything; it only derives from the record.
/// </summary>
internal sealed class PostgresRuntime(
    SecretBox box, DaemonOptions options, DataDirectory data, VolumeDisk disk, CertificateAuthority authority, TimeProvider time, IClusterClientPause? clientPause = null) : IDisposable
{
    public const string CredentialsSecret = "credentials";
    public const string CertificateSecret = "certificate";
    public const string ProxyConfigFile = "proxy.json";
    public const string ProxyStatusFile = "proxy.status.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // One client for every Patroni call: short timeout, since a hung REST API must not hang a reconcile pass.
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, HttpClient> _clients = new();

    public string Host => options.AdvertiseAddress;

    /// <summary>The user PostgreSQL runs as: postgres when the daemon is root, else the daemon's own user.</summary>
    public static string RunAsUser => Signals.IsRoot ? "postgres" : Environment.UserName;

    public string ClusterDirectory(string name) => Path.Combine(data.Postgres, name);

    public string ProxyConfigPath(string name) => Path.Combine(ClusterDirectory(name), ProxyConfigFile);

    public string ProxyStatusPath(string name) => Path.Combine(ClusterDirectory(name), ProxyStatusFile);

    public string NodeRoot(PostgresNodeRecord node) => disk.PathOf(node.VolumeId);

    /// <summary>
    /// The node's files on its volume, except the unix socket directory: sockets cannot go into a volume snapshot
    /// (tar), and the socket path must stay short. DATA/pgsock/VOLUME_ID is both.
    /// </summary>
    public PatroniNodePaths NodePaths(PostgresNodeRecord node)
    {
        var sockets = data.PgSockets;
        if (!Directory.Exists(sockets))
        {
            Directory.CreateDirectory(sockets);
            File.SetUnixFileMode(sockets, FileModes.PassThroughDirectory);
        }

        return PatroniNodePaths.Under(NodeRoot(node)) with { SocketDirectory = Path.Combine(sockets, node.VolumeId) };
    }

    public string EncryptCredentials(string name, PatroniCredentials credentials) =>
        box.Encrypt(PostgresKeys.Owner(name), CredentialsSecret, JsonSerializer.Serialize(credentials, Json));

    public string EncryptCertificate(string name, ClusterCertificate certificate) =>
        box.Encrypt(PostgresKeys.Owner(name), CertificateSecret, JsonSerializer.Serialize(certificate, Json));

    public PatroniCredentials Credentials(PostgresRecord cluster) =>
        JsonSerializer.Deserialize<PatroniCredentials>(box.Decrypt(PostgresKeys.Owner(cluster.Name), CredentialsSecret, cluster.CredentialsCiphertext), Json)
        ?? throw new InvalidDataException($"cluster {cluster.Name} has empty credentials");

    public ClusterCertificate Certificate(PostgresRecord cluster) =>
        JsonSerializer.Deserialize<ClusterCertificate>(box.Decrypt(PostgresKeys.Owner(cluster.Name), CertificateSecret, cluster.CertificateCiphertext), Json)
        ?? throw new InvalidDataException($"cluster {cluster.Name} has an empty certificate");

    /// <summary>The platform CA certificate file apps verify servers with (world-readable).</summary>
    public string CaCertificatePath => data.CaCertificate;

    /// <summary>A new cluster's certificate, signed by the platform CA for every address its clients dial.</summary>
    public ClusterCertificate NewCertificate(string name) => ClusterCertificate.Create(name, [Host], authority, time);

    /// <summary>
    /// The certificate a node serves: the stored one while it chains to the platform CA and is not near expiry; else
    /// (a cluster made before the CA existed, or an old certificate) a fresh one, written out with the node's files
    /// and loaded by PostgreSQL at its next start or reload. Not stored: each is as good as any other from the CA.
    /// </summary>
    public ClusterCertificate ServerCertificate(PostgresRecord cluster)
    {
        var stored = Certificate(cluster);
        return authority.IsCurrent(stored.CertificatePem, time) ? stored : NewCertificate(cluster.Name);
    }

    public PatroniNodeOptions NodeOptions(PostgresRecord cluster, PostgresNodeRecord node) => new()
    {
        ClusterName = cluster.Name,
        NodeName = node.Name,
        EtcdHosts = EtcdHosts(),
        PostgresPort = node.PgPort,
        RestApiPort = node.RestPort,
        BindAddress = Host,
        Paths = NodePaths(node),
        Credentials = Credentials(cluster),
        SynchronousMode = cluster.Synchronous,
        BootstrapCommand = IsSeeded(cluster) && node.Ordinal == 1 ? SeedScript(node) : null,
        Parameters = cluster.Parameters ?? new Dictionary<string, string>(),
    };

    /// <summary>A cluster whose first node starts from another's data (--snapshot-id, --fork-from, backup restore).</summary>
    public static bool IsSeeded(PostgresRecord cluster) => cluster.SnapshotId is not null || cluster.ForkFrom is not null || cluster.Restore is not null;

    /// <summary>Patroni's custom bootstrap script of a seeded cluster's first node; it moves <see cref="SeedDirectory"/> into place.</summary>
    public string SeedScript(PostgresNodeRecord node) => Path.Combine(NodeRoot(node), "seed.sh");

    /// <summary>Where the seeder stages the copied PGDATA before Patroni bootstraps from it.</summary>
    public string SeedDirectory(PostgresNodeRecord node) => Path.Combine(NodeRoot(node), "seed");

    /// <summary>Writes the node's directory (idempotent) and returns its process spec.</summary>
    public async Task<ProcessSpec> PrepareNodeAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        var launch = await NodeDirectory.PrepareAsync(NodeOptions(cluster, node), ServerCertificate(cluster), RunAsUser, cancellationToken);
        return new ProcessSpec
        {
            Name = PostgresKeys.NodeProcess(cluster.Name, node.Ordinal),
            FileName = launch.FileName,
            Arguments = launch.Arguments,
            Environment = launch.Environment,
            WorkingDirectory = launch.WorkingDirectory,
            RunAsUser = Signals.IsRoot ? launch.RunAsUser : null,
            IdentityMarker = launch.IdentityMarker,
            StopTimeout = launch.StopTimeout,
            Readiness = ct => launch.ProbeAsync(_http, ct),
        };
    }

    /// <summary>Enough of a node's spec to stop it or an orphan of it (name and identity), without writing files.</summary>
    public ProcessSpec NodeStopSpec(string cluster, PostgresNodeRecord node) => new()
    {
        Name = PostgresKeys.NodeProcess(cluster, node.Ordinal),
        FileName = PatroniLauncher.Interpreter,
        IdentityMarker = NodePaths(node).ConfigFile,
        StopTimeout = TimeSpan.FromSeconds(60),
    };

    public ProcessSpec ProxySpec(PostgresRecord cluster)
    {
        var config = ProxyConfigPath(cluster.Name);
        var port = cluster.ProxyPort;
        return new ProcessSpec
        {
            Name = PostgresKeys.ProxyProcess(cluster.Name),
            // The hangar binary itself in its proxy mode: the data path is a separate process, never the daemon.
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("the daemon's own executable path is unknown"),
            // Its meter (connections, leader changes, failover durations) on a listener of its own behind the
            // read-only metrics token; the address goes into the status file, and from there into service discovery.
            Arguments = ["__proxy", "--config", config, "--metrics-token-file", data.MetricsToken],

            // Socket completions run inline instead of through the thread pool: measured 0.70x -> ~0.9x of a direct
            // connection (bench/proxy). The runtime must see it at start, so it goes in the environment.
            Environment = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" },
            WorkingDirectory = ClusterDirectory(cluster.Name),
            IdentityMarker = config,
            StopTimeout = TimeSpan.FromSeconds(10),
            Readiness = ct => port is { } p ? AcceptsAsync(Host, p, ct) : Task.FromResult(false),
        };
    }

    /// <summary>Writes proxy.json when its content changed (the proxy reloads on change); true when it did.</summary>
    public bool WriteProxyConfig(PostgresRecord cluster)
    {
        // The daemon's and the proxy's alone (both root): node addresses and ports are nobody else's business.
        var dir = ClusterDirectory(cluster.Name);
        Directory.CreateDirectory(data.Postgres, FileModes.OwnerDirectory);
        Directory.CreateDirectory(dir, FileModes.OwnerDirectory);
        var document = new ProxyConfigDocument
        {
            Cluster = cluster.Name,
            Listen = HostPort(cluster.ProxyPort ?? throw new InvalidOperationException($"cluster {cluster.Name} has no proxy port yet")),
            Nodes = [.. cluster.Nodes.OrderBy(n => n.Ordinal).Select(node => new ProxyNodeDocument
            {
                Name = node.Name,
                Host = Host,
                Port = node.PgPort,
                PatroniUrl = $"http://{HostPort(node.RestPort)}",
            })],
            PollIntervalMs = 100,
            StatusFile = ProxyStatusFile,

            // Scale to zero: a connection that finds no leader asks for a wake and waits long enough for the node to start.
            WakeFile = cluster.AutostopSeconds is null ? null : Autostop.PostgresAutostop.WakeFileName,
            LeaderWaitTimeoutMs = cluster.AutostopSeconds is null ? null : Autostop.PostgresAutostop.ProxyLeaderWaitMs,

            // New connections go straight to the leader's listening socket (BPF sk_lookup) when the proxy can
            // (root, leader on this host); otherwise it forwards them itself.
            KernelSteering = true,
        };
        var text = document.ToJson();
        var path = ProxyConfigPath(cluster.Name);
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return false;
        }

        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = FileModes.OwnerFile }))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        File.Move(temporary, path, overwrite: true);
        return true;
    }

    /// <summary>The proxy's status file (the node it routes to, its connections); null when unreadable.</summary>
    public ProxyStatusDocument? ProxyStatus(string name) => ProxyStatusDocument.Read(ProxyStatusPath(name));

    /// <summary>What the operations in Hangar.Postgres need of the cluster: its Patroni clients, node connections and the proxy's target.</summary>
    public ClusterAccess Access(PostgresRecord cluster) =>
        new(cluster, node => Patroni(cluster, node), node => NodeAdminConnectionString(cluster, node), () => ProxyStatus(cluster.Name)?.Leader,
            clientPause is null ? null : ct => clientPause.PauseAsync(cluster.Name, ct));

    public PatroniClient Patroni(PostgresRecord cluster, PostgresNodeRecord node)
    {
        var credentials = Credentials(cluster);
        var http = _clients.GetOrAdd(node.RestPort, port => new HttpClient { BaseAddress = new Uri($"http://{HostPort(port)}/"), Timeout = TimeSpan.FromSeconds(10) });
        return new PatroniClient(http, credentials.RestApiUser, credentials.RestApiPassword);
    }

    /// <summary>GET /cluster from the first node that answers; null when none does.</summary>
    public Task<(PatroniCluster? Cluster, string? Error)> ClusterStateAsync(PostgresRecord cluster, CancellationToken cancellationToken) =>
        Access(cluster).StateAsync(cancellationToken);

    /// <summary>The admin role through the cluster port (so it always reaches the leader).</summary>
    public string AdminConnectionString(PostgresRecord cluster, string database = "postgres")
    {
        var credentials = Credentials(cluster);
        return new NpgsqlConnectionStringBuilder(ConnectionStrings.Npgsql(credentials.AdminUser, credentials.AdminPassword, Host, cluster.ProxyPort ?? 0, database, SslMode.Prefer))
        {
            Pooling = false,
            Timeout = 10,
            CommandTimeout = 30,
            ApplicationName = "hangar",
        }.ConnectionString;
    }

    /// <summary>The admin role straight to one node (checks must see that node, not the leader).</summary>
    public string NodeAdminConnectionString(PostgresRecord cluster, PostgresNodeRecord node)
    {
        var credentials = Credentials(cluster);
        return ConnectionStrings.Npgsql(credentials.AdminUser, credentials.AdminPassword, Host, node.PgPort, "postgres", SslMode.Prefer);
    }

    public string HostPort(int port) => PatroniConfigHostPort(Host, port);

    /// <summary>
    /// pg_basebackup of whichever server answers on <paramref name="port"/> (the cluster port reaches the leader, a
    /// node's own port that node, replica or not) into <paramref name="target"/>, as the Postgres OS user. WAL is
    /// streamed alongside through a temporary slot, so the copy is consistent on its own; not fsynced here, because a
    /// server starting on a base backup syncs its whole data directory first.
    /// </summary>
    public Task BaseBackupAsync(PostgresRecord cluster, int port, string target, CancellationToken cancellationToken)
    {
        var credentials = Credentials(cluster);
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = credentials.ReplicationPassword, ["PGSSLMODE"] = "prefer" };
        string[] arguments =
        [
            "-h", Host, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", credentials.ReplicationUser,
            "-D", target, "-X", "stream", "-c", "fast", "--no-sync", "--no-manifest", "--no-password",
        ];
        return ExternalCommand.RunAsAsync(RunAsUser, Path.Combine(PatroniNodeOptions.DefaultBinDirectory, "pg_basebackup"), arguments, null, cancellationToken, environment);
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private static string PatroniConfigHostPort(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private List<string> EtcdHosts() => options.EmbeddedEtcd
        ? [$"127.0.0.1:{options.EtcdClientPort}"]
        : [.. options.EtcdEndpoints.Select(e => new Uri(e)).Select(u => PatroniConfigHostPort(u.Host, u.Port))];

    /// <summary>Whether something accepts TCP connections on host:port (a readiness probe).</summary>
    internal static async Task<bool> AcceptsAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
