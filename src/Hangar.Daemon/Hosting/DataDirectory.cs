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

    public void Create()
    {
        Directory.CreateDirectory(Root);
        CheckReachable();

        // Traversable (not listable) by the unprivileged users that run Postgres and Redis on volumes inside it.
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var dir in new[] { Run, Logs, Volumes, Snapshots })
        {
            Directory.CreateDirectory(dir);
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
