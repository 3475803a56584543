using Hangar.Core.Resources;
using Hangar.Core.Unix;
using Hangar.Daemon.Hosting;
using Hangar.Postgres.Config;
using Hangar.Postgres.Nodes;
using Hangar.State;
using Hangar.Volumes;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// A snapshot of a running Postgres node's volume gets that node's data directory from pg_basebackup against the
/// node's own port (leader or replica): a base backup with the WAL to make it consistent, where a tar of the live
/// files could miss the newest WAL or catch a page half written.
/// </summary>
internal sealed partial class PostgresOnlineCopy(RecordStore store, PostgresRuntime runtime, VolumeDisk disk, ILogger<PostgresOnlineCopy> logger) : IOnlineCopySource
{
    private const string DataPart = "data";

    public async Task<SnapshotOverlay?> CopyAsync(VolumeRecord volume, string scratch, CancellationToken cancellationToken)
    {
        if (!IsNodeVolume(volume))
        {
            return null;
        }

        var clusters = await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken);
        var (cluster, node) = clusters
            .SelectMany(c => c.Value.Nodes.Select(n => (Cluster: c.Value, Node: n)))
            .FirstOrDefault(pair => pair.Node.VolumeId == volume.Id);
        if (cluster is null || node is null || Postmaster.RunningPid(runtime.NodePaths(node).DataDirectory) is null)
        {
            return null;
        }

        Directory.CreateDirectory(scratch);
        File.SetUnixFileMode(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (uid, gid) = UnixAccount.Lookup(PostgresRuntime.RunAsUser);
        UnixAccount.Chown(scratch, uid, gid);
        var copy = Path.Combine(scratch, DataPart);
        await runtime.BaseBackupAsync(cluster, node.PgPort, copy, cancellationToken);
        Log.Copied(logger, cluster.Name, node.Name, volume.Id);
        return new SnapshotOverlay(DataPart, copy);
    }

    public IReadOnlyCollection<string> CredentialFiles(VolumeRecord volume)
    {
        // A volume left by a destroyed cluster is no longer attached, yet may still hold a node's files.
        var paths = PatroniNodePaths.Under(disk.PathOf(volume.Id));
        return IsNodeVolume(volume) || File.Exists(paths.ConfigFile) ? paths.CredentialFiles : [];
    }

    private static bool IsNodeVolume(VolumeRecord volume) => volume.AttachedTo?.StartsWith(PostgresKeys.Kind + ":", StringComparison.Ordinal) == true;

    private static partial class Log
    {
        [LoggerMessage(6032, LogLevel.Information, "postgres {Name}: node {Node} is running; its volume {VolumeId} is snapshotted from a base backup of it")]
        public static partial void Copied(ILogger logger, string name, string node, string volumeId);
    }
}
