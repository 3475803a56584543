using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Storage;
using Hangar.Postgres.Backups;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>
/// A cluster's pgBackRest repositories (repo1: its system bucket, reached over the S3 server's HTTPS listener; repo2:
/// its prefix of the off-site bucket when the daemon has --backup-s3) and each node's pgbackrest.conf, plus running
/// pgbackrest as the node user with a node's config.
/// </summary>
internal sealed class PostgresBackupRepository(StorageService storage, EmbeddedS3 s3, DataDirectory data, PostgresRuntime runtime, DaemonOptions options, TimeProvider time)
{
    public const int Local = 1;

    public const int Offsite = 2;

    public bool HasOffsite => options.OffsiteBackups is not null;

    /// <summary>The repositories in pgBackRest's order: the local one, then the off-site one when configured.</summary>
    public async Task<IReadOnlyList<PgBackRestRepository>> EnsureAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var local = await EnsureLocalAsync(cluster, cancellationToken);
        return options.OffsiteBackups is { } offsite ? [local, OffsiteOf(cluster, offsite)] : [local];
    }

    /// <summary>https://HOST:PORT/BUCKET/PREFIX of the cluster's off-site repository, null without one.</summary>
    public string? OffsiteLocation(string cluster, int generation) => options.OffsiteBackups is { } offsite
        ? $"https://{offsite.Endpoint.IdnHost}:{offsite.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{offsite.Bucket}{OffsiteBackupOptions.PathOf(cluster, generation)}"
        : null;

    /// <summary>DATA_DIR/postgres-deleted-backups: the configs of destroyed clusters' kept repositories.</summary>
    public string DeletedRoot => Path.Combine(data.Root, "postgres-deleted-backups");

    /// <summary>
    /// The pgBackRest files of a destroyed cluster's kept repository (its nodes' volumes are gone): a config naming
    /// only the repositories, under DATA_DIR/postgres-deleted-backups/NAME.GENERATION, for `info` and the restore's lookups.
    /// </summary>
    public async Task<PgBackRestPaths> DeletedPathsAsync(PostgresRecord source, CancellationToken cancellationToken)
    {
        var generation = source.Backups?.Generation ?? 0;
        PgBackRestNodeFiles.CreateDirectory(DeletedRoot, PostgresRuntime.RunAsUser);
        var root = Path.Combine(DeletedRoot, source.Name + "." + generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        PgBackRestNodeFiles.CreateDirectory(root, PostgresRuntime.RunAsUser);
        var paths = PgBackRestPaths.Under(root);
        var repos = await EnsureAsync(source, cancellationToken);
        // pgBackRest wants a pg1-path in a stanza; nothing runs there (info and restore's set lookup read the repository only).
        var placeholder = new PgBackRestNode(Path.Combine(root, "data"), 5432, root);
        await PgBackRestNodeFiles.WriteAsync(paths, PgBackRestConfig.Render(source.Name, repos, paths, [placeholder]), PostgresRuntime.RunAsUser, cancellationToken);
        return paths;
    }

    private PgBackRestRepository OffsiteOf(PostgresRecord cluster, OffsiteBackupOptions offsite)
    {
        string? ca = null;
        if (offsite.CaFile is { } given)
        {
            // pgBackRest runs as the node user, who may not read the operator's path: a world-readable copy (a CA is public).
            ca = Path.Combine(data.Root, "backup-s3-ca.crt");
            var text = File.ReadAllText(given);
            if (!File.Exists(ca) || File.ReadAllText(ca) != text)
            {
                Core.Tls.CertificateAuthority.WriteFile(ca, text, secret: false);
            }
        }

        return new PgBackRestRepository
        {
            Host = offsite.Endpoint.IdnHost,
            Port = offsite.Endpoint.Port,
            Bucket = offsite.Bucket,
            Region = offsite.Region,
            AccessKey = offsite.AccessKey,
            SecretKey = offsite.SecretKey,
            CaFile = ca,
            Path = OffsiteBackupOptions.PathOf(cluster.Name, cluster.Backups?.Generation ?? 0),
            RetentionDays = cluster.Backups?.RetentionDays ?? PostgresBackupSettings.DefaultRetentionDays,
        };
    }

    private async Task<PgBackRestRepository> EnsureLocalAsync(PostgresRecord cluster, CancellationToken cancellationToken)
    {
        var https = s3.HttpsListen
            ?? throw HangarException.Precondition("backups need the S3 server's HTTPS listener (pgBackRest speaks only HTTPS to S3): start the daemon without --s3-https-listen off");
        var bucket = BackupKeys.Bucket(cluster.Name, cluster.Backups?.Generation ?? 0);
        var (key, secret) = await storage.EnsureSystemBucketAsync(bucket, cancellationToken);
        return new PgBackRestRepository
        {
            Host = https.Host.ToString(),
            Port = https.Port,
            Bucket = bucket,
            Region = s3.Region,
            AccessKey = key,
            SecretKey = secret,
            CaFile = data.CaCertificate,
            RetentionDays = cluster.Backups?.RetentionDays ?? PostgresBackupSettings.DefaultRetentionDays,
        };
    }

    public PgBackRestPaths Paths(PostgresNodeRecord node) => PgBackRestPaths.Under(runtime.NodeRoot(node));

    public PgBackRestNode Node(PostgresNodeRecord node)
    {
        var paths = runtime.NodePaths(node);
        return new PgBackRestNode(paths.DataDirectory, node.PgPort, paths.SocketDirectory);
    }

    /// <summary>Every node's config, itself as pg1 and the others after it; only nodes whose volume exists. True when one changed.</summary>
    public async Task<bool> WriteNodeConfigsAsync(PostgresRecord cluster, IReadOnlyList<PgBackRestRepository> repositories, CancellationToken cancellationToken)
    {
        var changed = false;
        var present = cluster.Nodes.Where(n => Directory.Exists(runtime.NodeRoot(n))).OrderBy(n => n.Ordinal).ToList();
        foreach (var node in present)
        {
            IReadOnlyList<PgBackRestNode> nodes = [Node(node), .. present.Where(n => n.Ordinal != node.Ordinal).Select(Node)];
            var text = PgBackRestConfig.Render(cluster.Name, repositories, Paths(node), nodes);
            changed |= await PgBackRestNodeFiles.WriteAsync(Paths(node), text, PostgresRuntime.RunAsUser, cancellationToken);
        }

        return changed;
    }

    /// <summary>Stops pgbackrest commands a killed daemon left running with <paramref name="configFile"/>, or with any config under the data dir.</summary>
    public Task<IReadOnlyList<string>> StopLeftoversAsync(string? configFile, CancellationToken cancellationToken) =>
        PgBackRestLeftovers.StopAsync(
            given => configFile is null ? given.StartsWith(data.Root.TrimEnd('/') + "/", StringComparison.Ordinal) : given == configFile,
            time,
            cancellationToken);

    /// <summary>pgbackrest as the node user with <paramref name="node"/>'s config; returns stdout, throws with stderr.</summary>
    public async Task<string> RunAsync(PgBackRestPaths node, string stanza, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ExternalCommand.RunAsAsync(PostgresRuntime.RunAsUser, PgBackRestConfig.Executable, ["--config=" + node.ConfigFile, "--stanza=" + stanza, .. arguments], null, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            // pgBackRest's own message ("ERROR: [082]: ...") is the useful part; keep it to one line.
            throw HangarException.Precondition(string.Join(' ', ex.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
        }
    }
}
