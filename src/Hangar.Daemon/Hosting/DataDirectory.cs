using Hangar.Core.Unix;

namespace Hangar.Daemon.Hosting;

/// <summary>The layout of the data dir: everything Hangar keeps on this host.</summary>
public sealed class DataDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ClientConfig => Path.Combine(Root, Hangar.Client.ClientConfig.FileName);

    public string SecretsKey => Path.Combine(Root, "secrets.key");

    /// <summary>The platform CA's certificate (world-readable: apps point AWS_CA_BUNDLE/PGSSLROOTCERT here); ca.key beside it is 0600.</summary>
    public string CaCertificate => Path.Combine(Root, Core.Tls.CertificateAuthority.CertificateFileName);

    /// <summary>The S3 server's HTTPS certificate and key, issued by the CA at each daemon start.</summary>
    public string S3Certificate => Path.Combine(Root, "s3-tls.crt");

    public string S3Key => Path.Combine(Root, "s3-tls.key");

    public string LockFile => Path.Combine(Root, "daemon.lock");

    public string Etcd => Path.Combine(Root, "etcd");

    public string Run => Path.Combine(Root, "run");

    public string Logs => Path.Combine(Root, "logs");

    public string DaemonLog => Path.Combine(Logs, "hangar.log");

    public string Volumes => Path.Combine(Root, "volumes");

    public string Snapshots => Path.Combine(Root, "snapshots");

    public string S3 => Path.Combine(Root, "s3");

    public string S3AdminToken => Path.Combine(Root, "s3-admin.token");

    /// <summary>The read-only token that /metrics, service discovery and the S3 server's metrics accept (0600).</summary>
    public string MetricsToken => Path.Combine(Root, "metrics.token");

    /// <summary>The embedded Prometheus: its config and, under data/, its TSDB.</summary>
    public string Prometheus => Path.Combine(Root, "prometheus");

    /// <summary>Per-cluster files of the daemon and the proxy (proxy.json, proxy.status.json).</summary>
    public string Postgres => Path.Combine(Root, "postgres");

    public string Redis => Path.Combine(Root, "redis");

    /// <summary>Per-pool PgBouncer files (mpg/NAME, owned by the user PgBouncer runs as).</summary>
    public string Mpg => Path.Combine(Root, "mpg");

    /// <summary>Postgres unix sockets, one directory per volume, outside the volumes to keep socket paths short.</summary>
    public string PgSockets => Path.Combine(Root, "pgsock");

    public void Create()
    {
        Directory.CreateDirectory(Root);
        CheckReachable();

        // Search-only for others: the unprivileged users that run Postgres and Redis pass through to their own
        // directories inside (volumes, redis/NAME, pgsock/VOL, and a snapshot's scratch copy made by pg_basebackup),
        // but nobody else may list what is here. Everything else is the daemon's (root's) alone.
        foreach (var dir in new[] { Root, Volumes, Snapshots })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, FileModes.PassThroughDirectory);
        }

        foreach (var dir in new[] { Run, Logs })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, FileModes.OwnerDirectory);
        }

        Restrict();
    }

    /// <summary>
    /// Takes away what others may do with files an older Hangar left with looser modes (snapshot archives were 0644
    /// in a listable directory, and they held the cluster's passwords): an upgrade must not leave them readable.
    /// Only removes permission bits, never adds any, and does not descend into volumes (their owners set theirs).
    /// </summary>
    private void Restrict()
    {
        foreach (var file in new[] { ClientConfig, SecretsKey, LockFile, S3AdminToken })
        {
            FileModes.Restrict(file, FileModes.OwnerFile);
        }

        FileModes.Restrict(PgSockets, FileModes.PassThroughDirectory);
        FileModes.Restrict(Redis, FileModes.PassThroughDirectory);
        FileModes.Restrict(Mpg, FileModes.PassThroughDirectory);
        foreach (var dir in new[] { Etcd, S3, Postgres })
        {
            FileModes.Restrict(dir, FileModes.OwnerDirectory);
        }

        // The files directly in these are the daemon's own: logs, pid files, archives, proxy config and status;
        // a subdirectory is a snapshot's scratch copy (owned by postgres) or a cluster's directory.
        foreach (var dir in new[] { Run, Logs, Snapshots, Postgres, Redis, Mpg })
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.TopDirectoryOnly))
            {
                FileModes.Restrict(entry, Directory.Exists(entry) ? FileModes.OwnerDirectory : FileModes.OwnerFile);
                if (Directory.Exists(entry) && dir != Snapshots)
                {
                    foreach (var file in Directory.EnumerateFiles(entry))
                    {
                        FileModes.Restrict(file, FileModes.OwnerFile);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Postgres and Redis run as their own system users with their data under this dir, so every directory above it
    /// must let others pass through (o+x). Refusing here beats a server that cannot start a minute later.
    /// </summary>
    private void CheckReachable()
    {
        if (Environment.UserName != "root")
        {
            return;
        }

        for (var dir = Path.GetDirectoryName(Root); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
            {
                throw Core.Errors.HangarException.Precondition(
                    $"data dir {Root} is inside {dir}, which other users cannot enter (mode {Convert.ToString((int)File.GetUnixFileMode(dir), 8)}): the postgres and redis users need to; run `chmod o+x {dir}` or choose another --data-dir");
            }
        }
    }
}
