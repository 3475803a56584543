using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Security;
using Hangar.Postgres.Pooling;
using Hangar.Redis.Files;
using Hangar.Supervision;

namespace Hangar.Daemon.Mpg;

/// <summary>
/// What the mpg service and reconciler share about a pool: its files in DATA/mpg/NAME (pgbouncer.ini, the auth file
/// with the admin role's and the console's passwords, the cluster's TLS certificate; 0600, owned by the user
/// PgBouncer runs as), its process spec and its admin console. Derives only; decides nothing.
/// </summary>
internal sealed class MpgRuntime(PostgresRuntime postgres, SecretBox box, DataDirectory data, PgBouncerConsole console)
{
    public const string PgBouncerPath = "/usr/sbin/pgbouncer";
    public const string AdminSecret = "pool-admin";

    // PgBouncer refuses to run as root: as the Postgres user when the daemon is root, else as the daemon's own user.
    private readonly FileOwner? _owner = Signals.IsRoot ? FileOwner.Lookup(PostgresRuntime.RunAsUser) : null;

    public string Host => postgres.Host;

    public string Directory(string name) => Path.Combine(data.Mpg, name);

    public string EncryptAdminPassword(string name, string password) => box.Encrypt(MpgKeys.Owner(name), AdminSecret, password);

    public string AdminPassword(MpgRecord mpg) => box.Decrypt(MpgKeys.Owner(mpg.Name), AdminSecret, mpg.AdminPasswordCiphertext);

    public PgBouncerSettings Settings(MpgRecord mpg, PostgresRecord cluster, int maxConnections) => new()
    {
        ListenAddress = Host,
        ListenPort = mpg.PoolPort ?? throw new InvalidOperationException($"mpg {mpg.Name} has no pool port yet"),
        ServerHost = Host,
        ServerPort = cluster.ProxyPort ?? throw new InvalidOperationException($"postgres cluster {cluster.Name} has no cluster port yet"),
        Directory = Directory(mpg.Name),
        AuthUser = postgres.Credentials(cluster).AdminUser,
        AdminUser = PgBouncerConsole.AdminUser,
        PoolMode = mpg.PoolMode,
        PoolSize = mpg.PoolSize,
        MaxDatabaseConnections = MpgPlans.MaxPoolSize(maxConnections),
        MaxClientConnections = mpg.MaxClientConnections,
    };

    /// <summary>Writes the pool's files (only what changed); true when pgbouncer.ini or the auth file changed.</summary>
    public bool WriteFiles(MpgRecord mpg, PostgresRecord cluster, int maxConnections)
    {
        var settings = Settings(mpg, cluster, maxConnections);
        System.IO.Directory.CreateDirectory(data.Mpg);
        File.SetUnixFileMode(data.Mpg, Core.Unix.FileModes.PassThroughDirectory);
        InstanceFiles.EnsureDirectory(settings.Directory, _owner);
        var credentials = postgres.Credentials(cluster);
        var certificate = postgres.ServerCertificate(cluster);
        var users = PgBouncerConfig.RenderAuthFile([(credentials.AdminUser, credentials.AdminPassword), (PgBouncerConsole.AdminUser, AdminPassword(mpg))]);
        InstanceFiles.WriteIfChanged(settings.CertificateFile, certificate.CertificatePem, _owner);
        InstanceFiles.WriteIfChanged(settings.KeyFile, certificate.PrivateKeyPem, _owner);
        var auth = InstanceFiles.WriteIfChanged(settings.AuthFile, users, _owner);
        var ini = InstanceFiles.WriteIfChanged(settings.ConfigPath, PgBouncerConfig.Render(settings), _owner);
        return auth || ini;
    }

    public void DeleteFiles(string name)
    {
        if (System.IO.Directory.Exists(Directory(name)))
        {
            System.IO.Directory.Delete(Directory(name), recursive: true);
        }
    }

    public ProcessSpec Spec(MpgRecord mpg)
    {
        var config = Path.Combine(Directory(mpg.Name), "pgbouncer.ini");
        var port = mpg.PoolPort;
        return new ProcessSpec
        {
            Name = MpgKeys.PoolProcess(mpg.Name),
            FileName = PgBouncerPath,
            Arguments = [config],
            WorkingDirectory = Directory(mpg.Name),
            RunAsUser = _owner?.User,
            IdentityMarker = config,
            StopTimeout = TimeSpan.FromSeconds(10),
            Readiness = ct => port is { } p ? PostgresRuntime.AcceptsAsync(Host, p, ct) : Task.FromResult(false),
        };
    }

    /// <summary>The pool's admin console (PAUSE, RESUME, RECONNECT, SHOW).</summary>
    public PgBouncerConsole.Session Console(MpgRecord mpg) =>
        console.For(Host, mpg.PoolPort ?? throw new InvalidOperationException($"mpg {mpg.Name} has no pool port yet"), AdminPassword(mpg));
}
