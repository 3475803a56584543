namespace Hangar.Daemon.Hosting;

/// <summary>The layout of the data dir: everything Hangar keeps on this host.</summary>
public sealed class DataDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ClientConfig => Path.Combine(Root, Hangar.Client.ClientConfig.FileName);

    public string SecretsKey => Path.Combine(Root, "secrets.key");

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

        // Traversable (not listable) by the unprivileged users that run Postgres and Redis on volumes inside it.
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var dir in new[] { Run, Logs, Volumes, Snapshots })
        {
            Directory.CreateDirectory(dir);
        }
    }
}
