using Hangar.Core.Unix;
using Hangar.Postgres.Nodes;

namespace Hangar.Postgres.Backups;

/// <summary>Lays out a node's pgbackrest/ directory: config 0600 and the spool, log and lock directories 0700, all the node user's.</summary>
public static class PgBackRestNodeFiles
{
    /// <summary>Writes the config when its text changed (atomically, owner-only before the secret lands); true when it did.</summary>
    public static async Task<bool> WriteAsync(PgBackRestPaths paths, string config, string runAsUser, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var (uid, gid) = UnixAccount.Lookup(runAsUser);
        foreach (var directory in new[] { paths.Directory, paths.SpoolPath, paths.LogPath, paths.LockPath })
        {
            if (!Directory.Exists(directory))
            {
                NodeDirectory.CreateOwnedDirectory(directory, uid, gid);
            }
        }

        if (File.Exists(paths.ConfigFile) && await File.ReadAllTextAsync(paths.ConfigFile, cancellationToken).ConfigureAwait(false) == config)
        {
            return false;
        }

        await NodeDirectory.WriteOwnedAsync(paths.ConfigFile, config, UnixFileMode.UserRead | UnixFileMode.UserWrite, uid, gid, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A directory 0700 of <paramref name="runAsUser"/> (a restore's staging PGDATA).</summary>
    public static void CreateDirectory(string path, string runAsUser)
    {
        var (uid, gid) = UnixAccount.Lookup(runAsUser);
        NodeDirectory.CreateOwnedDirectory(path, uid, gid);
    }

    /// <summary>A file 0600 of <paramref name="runAsUser"/>, written atomically.</summary>
    public static Task WriteFileAsync(string path, string content, string runAsUser, CancellationToken cancellationToken)
    {
        var (uid, gid) = UnixAccount.Lookup(runAsUser);
        return NodeDirectory.WriteOwnedAsync(path, content, UnixFileMode.UserRead | UnixFileMode.UserWrite, uid, gid, cancellationToken);
    }
}
