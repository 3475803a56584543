using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Postgres.Admin;
using Hangar.Postgres.Config;
using Hangar.State;
using Hangar.Volumes;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// `postgres create --snapshot-id` and `--fork-from`: fills the first node's PGDATA before Patroni starts on it
/// (from a volume snapshot of another cluster's node, or a fresh pg_basebackup through the source's cluster port),
/// and once that node leads, gives the internal roles the new cluster's own passwords. Patroni starts on a
/// non-empty data directory by taking the initialize key with that directory's system identifier.
/// </summary>
internal sealed partial class PostgresSeeder(RecordStore store, VolumeDisk disk, PostgresRuntime runtime, Backups.PgBackRestRestorer restorer, ILogger<PostgresSeeder> logger)
{
    public async Task SeedAsync(PostgresRecord cluster, PostgresNodeRecord node, CancellationToken cancellationToken)
    {
        var data = Path.Combine(runtime.NodeRoot(node), "data");
        var seed = runtime.SeedDirectory(node);
        if (File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            return;
        }

        // The node directory (owner, modes, tls, patroni.json) first; the copy is staged next to PGDATA and Patroni's
        // custom bootstrap (seed.sh) moves it into place when this node wins the initialize key.
        await runtime.PrepareNodeAsync(cluster, node, cancellationToken);
        if (!File.Exists(Path.Combine(seed, "PG_VERSION")))
        {
            var staging = seed + ".tmp";
            if (Directory.Exists(staging) || cluster.Restore is not null)
            {
                // A restore cut short may have left its pgbackrest or its recovering server running on the copy.
                await restorer.StopLeftoverAsync(node, staging, cancellationToken);
            }

            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            if (cluster.SnapshotId is { } snapshotId)
            {
                await FromSnapshotAsync(snapshotId, node, staging, cancellationToken);
            }
            else if (cluster.ForkFrom is { } source)
            {
                await FromBaseBackupAsync(source, staging, cancellationToken);
            }
            else if (cluster.Restore is { } restore)
            {
                await restorer.RestoreAsync(restore, node, staging, cancellationToken);
            }

            // A copy of a running node carries its lock file and role markers; this node is a fresh primary.
            foreach (var leftover in new[] { "postmaster.pid", "postmaster.opts", "standby.signal", "recovery.signal" })
            {
                File.Delete(Path.Combine(staging, leftover));
            }

            await ExternalCommand.RunAsync("/bin/chown", ["-R", PostgresRuntime.RunAsUser + ":", staging], null, cancellationToken);
            File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (Directory.Exists(seed))
            {
                Directory.Delete(seed, recursive: true);
            }

            Directory.Move(staging, seed);
        }

        var script = runtime.SeedScript(node);
        await File.WriteAllTextAsync(script, $"#!/bin/sh\n# Patroni's custom bootstrap for a seeded cluster: the copy staged by the daemon becomes PGDATA.\nset -e\nrm -rf '{data}'\nmv '{seed}' '{data}'\nchmod 0700 '{data}'\n", cancellationToken);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await ExternalCommand.RunAsync("/bin/chown", [PostgresRuntime.RunAsUser + ":", script], null, cancellationToken);
        Log.Seeded(logger, cluster.Name, node.Name, cluster.SnapshotId ?? (cluster.Restore is { } r ? $"backup {r.BackupSet} of {r.Cluster} ({r.TargetType} {r.Target})" : "fork of " + cluster.ForkFrom));
    }

    /// <summary>The copied data still has the source's passwords: set the new cluster's on the internal roles, as verifiers.</summary>
    public async Task ResetCredentialsAsync(PostgresRecord cluster, PostgresNodeRecord leader, CancellationToken cancellationToken)
    {
        var credentials = runtime.Credentials(cluster);
        var sql = string.Join('\n',
            Role(PatroniCredentials.SuperuserName, credentials.SuperuserPassword, "SUPERUSER"),
            Role(credentials.AdminUser, credentials.AdminPassword, "SUPERUSER"),
            Role(credentials.ReplicationUser, credentials.ReplicationPassword, "REPLICATION"));
        var paths = runtime.NodePaths(leader);

        // Over the node's unix socket as the postgres OS user (peer): the only way in that needs no old password.
        var psql = Path.Combine(PatroniNodeOptions.DefaultBinDirectory, "psql");
        string[] arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", paths.SocketDirectory, "-p", leader.PgPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-d", "postgres", "-U", "postgres"];
        await ExternalCommand.RunAsAsync(PostgresRuntime.RunAsUser, psql, arguments, sql, cancellationToken);
        Log.CredentialsReset(logger, cluster.Name);
    }

    private static string Role(string name, string password, string attribute)
    {
        var quoted = PostgresNames.Quote(name);
        var verifier = PostgresNames.Literal(ScramVerifier.Compute(password));
        return $"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {PostgresNames.Literal(name)}) THEN CREATE ROLE {quoted} WITH LOGIN {attribute}; END IF; END$$;\n" +
            $"ALTER ROLE {quoted} WITH LOGIN {attribute} PASSWORD {verifier};";
    }

    private async Task FromSnapshotAsync(string snapshotId, PostgresNodeRecord node, string staging, CancellationToken cancellationToken)
    {
        var snapshot = (await store.GetAsync<SnapshotRecord>(StoreKeys.Snapshot(snapshotId), cancellationToken))?.Value;
        if (snapshot is not { Ready: true, Sha256: { } sha })
        {
            throw HangarException.NotFound("snapshot", snapshotId);
        }

        var temporary = node.VolumeId + "-seed";
        disk.Delete(temporary);
        await disk.RestoreAsync(snapshotId, sha, temporary, cancellationToken);
        try
        {
            var restored = Path.Combine(disk.PathOf(temporary), "data");
            if (!File.Exists(Path.Combine(restored, "PG_VERSION")))
            {
                throw HangarException.Precondition($"snapshot {snapshotId} is not of a Postgres node (no data/PG_VERSION)");
            }

            Directory.Move(restored, staging);
        }
        finally
        {
            disk.Delete(temporary);
        }
    }

    private async Task FromBaseBackupAsync(string sourceName, string staging, CancellationToken cancellationToken)
    {
        var source = (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(sourceName), cancellationToken))?.Value;
        if (source is not { Phase: PostgresPhase.Running, ProxyPort: { } port })
        {
            throw HangarException.Precondition($"cluster '{sourceName}' is not running; --fork-from needs a running cluster");
        }

        // Through the source's cluster port, so it is always the leader that is copied.
        await runtime.BaseBackupAsync(source, port, staging, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(6030, LogLevel.Information, "postgres {Name}: node {Node} seeded from {Source}")]
        public static partial void Seeded(ILogger logger, string name, string node, string source);

        [LoggerMessage(6031, LogLevel.Information, "postgres {Name}: internal roles given this cluster's passwords")]
        public static partial void CredentialsReset(ILogger logger, string name);
    }
}
