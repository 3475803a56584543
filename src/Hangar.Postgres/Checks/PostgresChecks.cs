using System.Globalization;
using Hangar.Postgres.Logging;
using Hangar.Postgres.Rest;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hangar.Postgres.Checks;

/// <summary>
/// The three checks Fly runs on every Postgres node (`checks list`): vm, pg and role. Each run connects
/// directly to this node (not through the leader-following port) with the admin role, and asks this node's
/// Patroni who the leader is.
/// </summary>
public sealed class PostgresChecks
{
    /// <summary>Replay lag at or above this makes a replica's pg check critical (it would lose reads' freshness and failover candidacy).</summary>
    public static readonly TimeSpan MaxReplicaLag = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly string _nodeName;
    private readonly PatroniClient _patroni;
    private readonly string _connectionString;
    private readonly string _dataDirectory;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresChecks> _logger;

    /// <param name="nodeConnectionString">Admin role, this node's own host and port, database postgres.</param>
    public PostgresChecks(string nodeName, PatroniClient patroni, string nodeConnectionString, string dataDirectory, TimeProvider timeProvider, ILogger<PostgresChecks> logger)
    {
        _nodeName = nodeName;
        _patroni = patroni;
        var builder = new NpgsqlConnectionStringBuilder(nodeConnectionString)
        {
            Timeout = (int)ProbeTimeout.TotalSeconds,
            CommandTimeout = (int)ProbeTimeout.TotalSeconds,
            // A check must see the node as it is now, not a pooled session from before a failover.
            Pooling = false,
            ApplicationName = "hangar-checks",
        };
        _connectionString = builder.ConnectionString;
        _dataDirectory = dataDirectory;
        _time = timeProvider;
        _logger = logger;
    }

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        PatroniCluster? cluster = null;
        string? patroniError = null;
        try
        {
            cluster = await _patroni.GetClusterAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or Hangar.Core.Errors.HangarException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            patroniError = e.Message;
            PostgresLog.CheckFailed(_logger, "role", _nodeName, e.Message);
        }

        var vm = VmCheck.Run(_dataDirectory);
        var pg = await PgCheckAsync(cluster, cancellationToken).ConfigureAwait(false);
        return [vm, pg, RoleCheck(cluster, patroniError)];
    }

    internal async Task<CheckResult> PgCheckAsync(PatroniCluster? cluster, CancellationToken cancellationToken)
    {
        var check = new CheckBuilder("pg");
        NpgsqlConnection connection;
        try
        {
            connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            PostgresLog.CheckFailed(_logger, "pg", _nodeName, e.Message);
            check.Add(CheckStatus.Critical, $"connect: {e.Message}");
            return check.Build();
        }

        await using (connection.ConfigureAwait(false))
        {
            try
            {
                await using var command = new NpgsqlCommand(
                    """
                    SELECT pg_is_in_recovery(),
                           current_setting('max_connections')::int,
                           current_setting('superuser_reserved_connections')::int,
                           (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend')
                    """,
                    connection);
                bool inRecovery;
                int max, reserved, used;
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    inRecovery = reader.GetBoolean(0);
                    max = reader.GetInt32(1);
                    reserved = reader.GetInt32(2);
                    used = reader.GetInt32(3);
                }

                if (inRecovery)
                {
                    await AddReplicaItemsAsync(check, connection, cluster, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await AddLeaderItemsAsync(check, connection, cluster, cancellationToken).ConfigureAwait(false);
                }

                var usable = max - reserved;
                check.Add(
                    used >= usable * 0.9 ? CheckStatus.Warning : CheckStatus.Passing,
                    string.Create(CultureInfo.InvariantCulture, $"connections: {used} used, {reserved} reserved, {max} max"));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                check.Add(CheckStatus.Critical, $"query: {e.Message}");
            }
        }

        return check.Build();
    }

    private async Task AddLeaderItemsAsync(CheckBuilder check, NpgsqlConnection connection, PatroniCluster? cluster, CancellationToken cancellationToken)
    {
        // Read-write PostgreSQL without Patroni's leader lock would be a second primary: the worst state there is.
        var leader = cluster?.Leader?.Name;
        if (cluster is not null && leader != _nodeName)
        {
            check.Add(CheckStatus.Critical, $"replication: read-write but the leader lock is held by {leader ?? "nobody"}");
        }
        else
        {
            check.Add(CheckStatus.Passing, "replication: currently leader");
        }

        // A real commit: assigning a transaction id writes WAL, and with synchronous_mode the commit returns only
        // once the sync standby has it, so this also proves the synchronous path is not stuck.
        var started = _time.GetTimestamp();
        await using var probe = new NpgsqlCommand("SELECT pg_current_xact_id()::text", connection);
        await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = _time.GetElapsedTime(started);
        check.Add(CheckStatus.Passing, string.Create(CultureInfo.InvariantCulture, $"write probe: committed in {elapsed.TotalMilliseconds:0} ms"));
    }

    private static async Task AddReplicaItemsAsync(CheckBuilder check, NpgsqlConnection connection, PatroniCluster? cluster, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT status FROM pg_stat_wal_receiver),
                   (SELECT sender_host FROM pg_stat_wal_receiver),
                   (SELECT sender_port FROM pg_stat_wal_receiver),
                   CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var status = reader.IsDBNull(0) ? null : reader.GetString(0);
        var senderHost = reader.IsDBNull(1) ? null : reader.GetString(1);
        int? senderPort = reader.IsDBNull(2) ? null : reader.GetInt32(2);
        var lag = TimeSpan.FromSeconds(reader.GetDouble(3));

        var leader = cluster?.Leader;
        var sender = senderHost is null ? "nobody" : string.Create(CultureInfo.InvariantCulture, $"{senderHost}:{senderPort}");
        if (status != "streaming")
        {
            check.Add(CheckStatus.Critical, $"leader check: wal receiver {status ?? "not running"}");
        }
        else if (leader is null)
        {
            check.Add(CheckStatus.Critical, $"leader check: streaming from {sender} but the cluster has no leader");
        }
        else if (leader.Host != senderHost || leader.Port != senderPort)
        {
            check.Add(CheckStatus.Critical, $"leader check: streaming from {sender}, but the leader is {leader.Name} at {leader.Host}:{leader.Port}");
        }
        else
        {
            check.Add(CheckStatus.Passing, $"leader check: {sender} connected");
        }

        check.Add(
            lag >= MaxReplicaLag ? CheckStatus.Critical : CheckStatus.Passing,
            string.Create(CultureInfo.InvariantCulture, $"replication lag: {FormatLag(lag)}"));
    }

    private CheckResult RoleCheck(PatroniCluster? cluster, string? patroniError)
    {
        var check = new CheckBuilder("role");
        var me = cluster?.Members.FirstOrDefault(m => m.Name == _nodeName);
        if (me is null)
        {
            check.Add(CheckStatus.Critical, patroniError is null ? "not a member of the cluster" : $"patroni: {patroniError}");
        }
        else if (!me.IsRunning)
        {
            check.Add(CheckStatus.Critical, $"{me.Role} ({me.State})");
        }
        else
        {
            // Fly prints the bare role; sync_standby is a replica that also acknowledges commits.
            check.Add(CheckStatus.Passing, me.IsLeader ? "leader" : me.Role == PatroniRoles.SyncStandby ? "replica (sync standby)" : "replica");
        }

        return check.Build();
    }

    private static string FormatLag(TimeSpan lag) =>
        lag < TimeSpan.FromMilliseconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{lag.TotalMicroseconds:0}µs")
            : lag < TimeSpan.FromSeconds(1)
                ? string.Create(CultureInfo.InvariantCulture, $"{lag.TotalMilliseconds:0}ms")
                : string.Create(CultureInfo.InvariantCulture, $"{lag.TotalSeconds:0.0}s");
}
