using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Postgres.Admin;

namespace Hangar.Postgres.Config;

/// <summary>
/// Builds a node's Patroni configuration file. Patroni reads YAML; we write JSON (a YAML subset) so that no
/// value ever needs YAML quoting rules.
/// </summary>
public static class PatroniConfig
{
    /// <summary>Name of the custom bootstrap method used with <see cref="PatroniNodeOptions.BootstrapCommand"/>.</summary>
    public const string SeedBootstrapMethod = "hangar_seed";

    /// <summary>
    /// Parameters Hangar sets per node or that must match the node layout; a user value would break the node,
    /// so <see cref="Validate"/> refuses them.
    /// </summary>
    private static readonly HashSet<string> ManagedParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "listen_addresses", "port", "unix_socket_directories", "ssl", "ssl_cert_file", "ssl_key_file",
        "hba_file", "ident_file", "data_directory", "config_file", "cluster_name", "wal_level", "hot_standby",
        "wal_log_hints", "password_encryption",
    };

    /// <summary>
    /// Cluster-wide parameters, written under bootstrap.dcs: Patroni keeps them identical on every node and
    /// restarts nodes itself when one needs it (max_connections, max_wal_senders, ...).
    /// </summary>
    internal static Dictionary<string, string> DefaultParameters() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["wal_level"] = "replica",
        ["hot_standby"] = "on",
        // pg_rewind needs hint-bit changes in WAL; Patroni forces it on as well, we say it explicitly.
        ["wal_log_hints"] = "on",
        ["password_encryption"] = "scram-sha-256",
        ["max_connections"] = "100",
        // Up to 5 nodes: 4 streaming replicas + a pg_basebackup/pg_rewind at a time, with headroom.
        ["max_wal_senders"] = "10",
        ["max_replication_slots"] = "10",
        // Enough WAL for a briefly disconnected replica or a rewound old leader to catch up without a slot.
        ["wal_keep_size"] = "256MB",
        ["hot_standby_feedback"] = "on",
        // Apps get pg_stat_statements in their database at attach; it only works preloaded, which takes a restart.
        [StatementStatisticsParameter] = StatementStatisticsLibrary,
        // Backups: archive_mode needs a restart, archive_command only a reload, so every cluster archives from the
        // start into a command that drops the segment; `postgres backup enable` swaps in pgBackRest without a restart.
        ["archive_mode"] = "on",
        ["archive_command"] = Backups.PgBackRestConfig.DisabledArchiveCommand,
    };

    /// <summary>The parameter that preloads <see cref="StatementStatisticsLibrary"/>; a change needs a restart.</summary>
    public const string StatementStatisticsParameter = "shared_preload_libraries";

    public const string StatementStatisticsLibrary = "pg_stat_statements";

    /// <summary>Every problem with <paramref name="options"/>, for reporting all at once.</summary>
    public static IReadOnlyList<string> Validate(PatroniNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        AddIfNotNull(problems, ResourceNames.Problem("cluster", options.ClusterName));
        AddIfNotNull(problems, ResourceNames.Problem("node", options.NodeName));
        if (options.EtcdHosts.Count == 0)
        {
            problems.Add("at least one etcd endpoint is required");
        }

        foreach (var host in options.EtcdHosts)
        {
            if (!TrySplitHostPort(host, out _, out _))
            {
                problems.Add($"invalid etcd endpoint '{host}': expected host:port");
            }
        }

        CheckPort(problems, "PostgreSQL", options.PostgresPort);
        CheckPort(problems, "Patroni REST API", options.RestApiPort);
        if (options.PostgresPort == options.RestApiPort)
        {
            problems.Add($"PostgreSQL and Patroni REST API ports must differ (both {options.PostgresPort})");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            problems.Add($"invalid bind address '{options.BindAddress}': expected an IP address");
        }

        if (options.AdvertiseAddress is { } advertise && !IPAddress.TryParse(advertise, out _))
        {
            problems.Add($"invalid advertise address '{advertise}': expected an IP address");
        }

        foreach (var source in options.ReplicationSources ?? [])
        {
            if (!IPNetwork.TryParse(source, out _))
            {
                problems.Add($"invalid replication source '{source}': expected a CIDR such as 10.0.0.0/24");
            }
        }

        if (options.Paths.SocketDirectory.Length > 90)
        {
            problems.Add($"socket directory '{options.Paths.SocketDirectory}' is too long for a unix socket path (max 90 characters)");
        }

        if (options.BootstrapCommand is { } bootstrap && !Path.IsPathFullyQualified(bootstrap))
        {
            problems.Add($"bootstrap command '{bootstrap}' must be an absolute path");
        }

        problems.AddRange(options.Timing.Problems());
        var credentials = options.Credentials;
        AddIfNotNull(problems, ScramVerifier.Problem("superuser", credentials.SuperuserPassword));
        AddIfNotNull(problems, ScramVerifier.Problem("replication", credentials.ReplicationPassword));
        AddIfNotNull(problems, ScramVerifier.Problem("admin", credentials.AdminPassword));
        AddIfNotNull(problems, ScramVerifier.Problem("REST API", credentials.RestApiPassword));
        AddIfNotNull(problems, PostgresNames.Problem("replication user", credentials.ReplicationUser));
        AddIfNotNull(problems, PostgresNames.Problem("admin user", credentials.AdminUser));
        foreach (var (name, value) in options.Parameters)
        {
            if (ManagedParameters.Contains(name))
            {
                problems.Add($"parameter '{name}' is managed by Hangar and cannot be set");
            }
            else if (!IsParameterName(name))
            {
                problems.Add($"invalid parameter name '{name}'");
            }
            else if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                problems.Add($"parameter '{name}' has an invalid value");
            }
        }

        return problems;
    }

    /// <summary>The configuration file text. Throws <see cref="HangarException"/> listing every problem.</summary>
    public static string Build(PatroniNodeOptions options)
    {
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw HangarException.Invalid(string.Join("; ", problems));
        }

        var credentials = options.Credentials;
        var advertise = options.EffectiveAdvertiseAddress;
        var parameters = DefaultParameters();
        foreach (var (name, value) in options.Parameters)
        {
            parameters[name] = value;
        }

        var root = new JsonObject
        {
            ["scope"] = options.ClusterName,
            ["namespace"] = PatroniNodeOptions.Namespace,
            ["name"] = options.NodeName,
            ["log"] = new JsonObject { ["level"] = "INFO" },
            ["restapi"] = new JsonObject
            {
                ["listen"] = HostPort(options.BindAddress, options.RestApiPort),
                ["connect_address"] = HostPort(advertise, options.RestApiPort),
                ["authentication"] = new JsonObject
                {
                    ["username"] = credentials.RestApiUser,
                    ["password"] = credentials.RestApiPassword,
                },
            },
            // Patroni 3.0.2 speaks to etcd v3 through its JSON gateway (no gRPC dependency).
            ["etcd3"] = new JsonObject
            {
                ["hosts"] = new JsonArray([.. options.EtcdHosts.Select(h => (JsonNode)h)]),
                ["protocol"] = "http",
            },
            ["bootstrap"] = new JsonObject
            {
                ["dcs"] = new JsonObject
                {
                    ["ttl"] = options.Timing.Ttl,
                    ["loop_wait"] = options.Timing.LoopWait,
                    ["retry_timeout"] = options.Timing.RetryTimeout,
                    // A replica more than 1 MB behind must not become leader: it would silently drop commits
                    // (only matters when synchronous_mode is off or just got switched off).
                    ["maximum_lag_on_failover"] = 1048576,
                    ["synchronous_mode"] = options.SynchronousMode,
                    // Not strict: with every standby gone the leader keeps serving writes (availability over
                    // durability, as Fly's HA preset); strict would block all commits until a standby returns.
                    ["synchronous_mode_strict"] = false,
                    // When etcd is unreachable (the daemon restarting the local etcd, a partition) Patroni would
                    // demote the leader; with failsafe it keeps leading as long as it can reach every other member
                    // over the REST API, which proves no one else can have been promoted.
                    ["failsafe_mode"] = true,
                    // A candidate whose timeline is behind the last leader's missed a promotion and would fork
                    // history; refuse it rather than lose the newer timeline's commits.
                    ["check_timeline"] = true,
                    ["postgresql"] = new JsonObject
                    {
                        ["use_pg_rewind"] = true,
                        ["use_slots"] = true,
                        ["parameters"] = ToJson(parameters),
                    },
                },
                ["initdb"] = new JsonArray(
                    new JsonObject { ["encoding"] = "UTF8" },
                    new JsonObject { ["locale"] = "C.UTF-8" },
                    "data-checksums"),
                ["post_bootstrap"] = options.Paths.PostBootstrapScript,
            },
            ["postgresql"] = new JsonObject
            {
                ["listen"] = HostPort(options.BindAddress, options.PostgresPort),
                ["connect_address"] = HostPort(advertise, options.PostgresPort),
                ["data_dir"] = options.Paths.DataDirectory,
                ["bin_dir"] = options.BinDirectory,
                ["pgpass"] = options.Paths.PgPassFile,
                // Patroni's own superuser connection goes over the socket with peer auth, so no TCP rule has
                // to admit the superuser without a password.
                ["use_unix_socket"] = true,
                ["authentication"] = new JsonObject
                {
                    ["superuser"] = new JsonObject
                    {
                        ["username"] = PatroniCredentials.SuperuserName,
                        ["password"] = credentials.SuperuserPassword,
                    },
                    ["replication"] = new JsonObject
                    {
                        ["username"] = credentials.ReplicationUser,
                        ["password"] = credentials.ReplicationPassword,
                    },
                },
                ["parameters"] = new JsonObject
                {
                    ["unix_socket_directories"] = options.Paths.SocketDirectory,
                    ["ssl"] = "on",
                    ["ssl_cert_file"] = options.Paths.CertificateFile,
                    ["ssl_key_file"] = options.Paths.KeyFile,
                },
                ["pg_hba"] = new JsonArray([.. PgHba(options).Select(l => (JsonNode)l)]),
                ["create_replica_methods"] = new JsonArray("basebackup"),
                // A fast checkpoint lets a new replica start copying at once instead of waiting for the next
                // spread checkpoint (up to checkpoint_timeout).
                ["basebackup"] = new JsonArray(new JsonObject { ["checkpoint"] = "fast" }),
            },
            // No /dev/watchdog on ordinary hosts; "automatic" would only log a warning every start.
            ["watchdog"] = new JsonObject { ["mode"] = "off" },
        };

        if (options.BootstrapCommand is { } command)
        {
            // Patroni's custom bootstrap: the command fills PGDATA, Patroni starts it as primary (replaying the WAL a
            // base backup carries) and runs post_bootstrap. Without it, existing data would start as a replica of a
            // leader that does not exist.
            var bootstrap = root["bootstrap"]!.AsObject();
            bootstrap["method"] = SeedBootstrapMethod;
            bootstrap[SeedBootstrapMethod] = new JsonObject
            {
                ["command"] = command,
                ["no_params"] = true,
                ["keep_existing_recovery_conf"] = false,
            };
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>pg_hba.conf lines: nothing is trusted, every TCP login is SCRAM.</summary>
    internal static IReadOnlyList<string> PgHba(PatroniNodeOptions options)
    {
        var tcp = options.RequireSsl ? "hostssl" : "host";
        var lines = new List<string>
        {
            // Patroni, pg_ctl and an operator's `su postgres -c psql` on this host.
            "local all postgres peer",
        };
        foreach (var source in ReplicationSources(options))
        {
            lines.Add($"{tcp} replication {options.Credentials.ReplicationUser} {source} scram-sha-256");
        }

        // Apps, the daemon's admin role, and pg_rewind (superuser) from other nodes.
        lines.Add($"{tcp} all all 0.0.0.0/0 scram-sha-256");
        lines.Add($"{tcp} all all ::/0 scram-sha-256");
        return lines;
    }

    private static IEnumerable<string> ReplicationSources(PatroniNodeOptions options)
    {
        if (options.ReplicationSources is { } explicitSources)
        {
            return explicitSources;
        }

        var sources = new List<string> { "127.0.0.1/32", "::1/128" };
        var advertise = IPAddress.Parse(options.EffectiveAdvertiseAddress);
        if (!IPAddress.IsLoopback(advertise))
        {
            sources.Add(advertise.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"{advertise}/128"
                : $"{advertise}/32");
        }

        return sources;
    }

    internal static string HostPort(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);

    private static JsonObject ToJson(Dictionary<string, string> parameters)
    {
        var json = new JsonObject();
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json[name] = value;
        }

        return json;
    }

    private static bool IsParameterName(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.');

    private static bool TrySplitHostPort(string value, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            return false;
        }

        host = value[..colon];
        return port is > 0 and < 65536;
    }

    private static void CheckPort(List<string> problems, string what, int port)
    {
        if (port is < 1 or > 65535)
        {
            problems.Add($"invalid {what} port {port}: expected 1-65535");
        }
    }

    private static void AddIfNotNull(List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }
}
