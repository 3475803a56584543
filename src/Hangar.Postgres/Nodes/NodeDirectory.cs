using System.Text;
using Hangar.Core.Errors;
using Hangar.Core.Unix;
using Hangar.Postgres.Admin;
using Hangar.Postgres.Config;

namespace Hangar.Postgres.Nodes;

/// <summary>
/// Lays out a node's directory so Patroni can start on it. Idempotent: re-running after a crash (or to apply
/// a new config) rewrites the files atomically and never touches the contents of PGDATA.
/// </summary>
public static class NodeDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadable = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Creates the directories, writes config, certificate, key and the post-bootstrap hook, hands them to
    /// <paramref name="runAsUser"/>, and returns how to run the node.
    /// </summary>
    public static async Task<PatroniNodeLaunch> PrepareAsync(
        PatroniNodeOptions options,
        ClusterCertificate certificate,
        string runAsUser,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(certificate);
        var configText = PatroniConfig.Build(options);
        var paths = options.Paths;
        var (uid, gid) = UnixAccount.Lookup(runAsUser);

        CheckTraversable(Path.GetDirectoryName(paths.Root), runAsUser);
        CreateOwnedDirectory(paths.Root, uid, gid);
        CreateOwnedDirectory(Path.GetDirectoryName(paths.CertificateFile)!, uid, gid);
        CreateOwnedDirectory(paths.SocketDirectory, uid, gid);

        // PostgreSQL refuses a data directory readable by others; an existing one keeps its contents.
        CreateOwnedDirectory(paths.DataDirectory, uid, gid);

        await WriteOwnedAsync(paths.CertificateFile, certificate.CertificatePem, WorldReadable, uid, gid, cancellationToken).ConfigureAwait(false);
        // PostgreSQL refuses a key readable by group/others when the postgres user owns it.
        await WriteOwnedAsync(paths.KeyFile, certificate.PrivateKeyPem, OwnerReadWrite, uid, gid, cancellationToken).ConfigureAwait(false);
        await WriteOwnedAsync(paths.PostBootstrapSql, PostBootstrapSql(options), OwnerReadWrite, uid, gid, cancellationToken).ConfigureAwait(false);
        await WriteOwnedAsync(paths.PostBootstrapScript, PostBootstrapScript(options), OwnerOnly, uid, gid, cancellationToken).ConfigureAwait(false);
        await WriteOwnedAsync(paths.Launcher, PatroniLauncher.Script, WorldReadable, uid, gid, cancellationToken).ConfigureAwait(false);
        await WriteOwnedAsync(paths.ConfigFile, configText, OwnerReadWrite, uid, gid, cancellationToken).ConfigureAwait(false);

        return new PatroniNodeLaunch
        {
            Name = $"pg-{options.ClusterName}-{options.NodeName}",
            Arguments = [paths.Launcher, paths.ConfigFile],
            RunAsUser = runAsUser,
            WorkingDirectory = paths.Root,
            Environment = new Dictionary<string, string>
            {
                // Patroni and psql expand ~ for defaults; keep them inside the node directory.
                ["HOME"] = paths.Root,
                ["LANG"] = "C.UTF-8",
                ["LC_ALL"] = "C.UTF-8",
                ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
                // archive_command and restore_command are one cluster-wide value; each node's pgBackRest finds its
                // own config through this, which PostgreSQL, pg_rewind and Patroni's own pre-rewind archiving all
                // inherit, whatever their working directory and with or without a shell.
                [Backups.PgBackRestPaths.ConfigVariable] = Backups.PgBackRestPaths.Under(paths.Root).ConfigFile,
            },
            ReadinessUrl = new Uri($"http://{PatroniConfig.HostPort(options.EffectiveAdvertiseAddress, options.RestApiPort)}/health"),
            IdentityMarker = paths.ConfigFile,
        };
    }

    /// <summary>
    /// Runs once, on the node that initialises the cluster, before any replica exists: the admin role and the
    /// lock-down of the built-in databases come with the cluster, so there is no window without them.
    /// The password travels as a SCRAM verifier, never in plaintext.
    /// </summary>
    internal static string PostBootstrapSql(PatroniNodeOptions options)
    {
        var admin = PostgresNames.Quote(options.Credentials.AdminUser);
        var verifier = PostgresNames.Literal(ScramVerifier.Compute(options.Credentials.AdminPassword));
        // PUBLIC may connect to postgres and template1 by default; app roles must reach only their own database.
        // Idempotent: a cluster bootstrapped from another's data (fork, snapshot) already has the role, with the
        // source's password; it gets this cluster's.
        var name = PostgresNames.Literal(options.Credentials.AdminUser);
        return $"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {name}) THEN CREATE ROLE {admin}; END IF; END$$;\n" +
            $"ALTER ROLE {admin} WITH LOGIN SUPERUSER PASSWORD {verifier};\n" +
            "REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;\n" +
            "REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC;\n";
    }

    private static string PostBootstrapScript(PatroniNodeOptions options)
    {
        var builder = new StringBuilder();
        builder.Append("#!/bin/sh\n");
        builder.Append("# Called by Patroni after initdb with a superuser connection URL as $1.\n");
        builder.Append("set -e\n");
        builder.Append("exec '").Append(Path.Combine(options.BinDirectory, "psql")).Append("' -X -q -v ON_ERROR_STOP=1 -d \"$1\" -f '")
            .Append(options.Paths.PostBootstrapSql).Append("'\n");
        return builder.ToString();
    }

    private static void CheckTraversable(string? directory, string user)
    {
        for (var current = directory; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (Directory.Exists(current) && (File.GetUnixFileMode(current) & UnixFileMode.OtherExecute) == 0)
            {
                throw HangarException.Precondition(
                    $"directory '{current}' is not searchable by others, so user '{user}' cannot reach the node directory; make it mode o+x (e.g. 0711)");
            }
        }
    }

    internal static void CreateOwnedDirectory(string path, uint uid, uint gid)
    {
        Directory.CreateDirectory(path, OwnerOnly);
        File.SetUnixFileMode(path, OwnerOnly);
        UnixAccount.Chown(path, uid, gid);
    }

    internal static async Task WriteOwnedAsync(string path, string content, UnixFileMode mode, uint uid, uint gid, CancellationToken cancellationToken)
    {
        // Mode and owner are set before the content lands and the rename makes it visible at once: a secret is
        // never readable by anyone else, and Patroni never reads a half-written config.
        var temporary = path + ".tmp";
        var streamOptions = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
            Options = FileOptions.Asynchronous,
        };
        File.Delete(temporary);
        var stream = new FileStream(temporary, streamOptions);
        await using (stream.ConfigureAwait(false))
        {
            UnixAccount.Chown(temporary, uid, gid);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
