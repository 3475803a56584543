using System.Globalization;
using System.Text;
using Hangar.Core.Errors;

namespace Hangar.Postgres.Backups;

/// <summary>
/// Renders pgbackrest.conf for one node and the archive settings Patroni puts on every node. pgBackRest 2.45 speaks
/// only HTTPS to S3, so the repository is the S3 server's HTTPS listener, path style, verified against the platform CA.
/// </summary>
public static class PgBackRestConfig
{
    public const string Executable = "/usr/bin/pgbackrest";

    /// <summary>
    /// A segment switch at most every 5 s while anything is written bounds the archive's lag, hence the RPO, to about
    /// 5 s plus one push. The cost is a 16 MiB segment per switch under a trickle of writes (compressed in the
    /// repository); PostgreSQL skips the switch when nothing was written since the last one, so idle costs next to nothing.
    /// </summary>
    public const string ArchiveTimeout = "5s";

    /// <summary>What archive_command is with backups off: WAL is recycled as if archived, nothing piles up.</summary>
    public const string DisabledArchiveCommand = "/bin/true";

    // No --config: each node's Patroni environment names its config (PgBackRestPaths.ConfigVariable). A path derived
    // from the working directory broke where Patroni runs archive_command itself before pg_rewind (split into
    // arguments, no shell) and where pg_rewind runs restore_command from Patroni's directory rather than PGDATA.
    public static string ArchiveCommand(string stanza) => $"{Executable} --stanza={stanza} archive-push \"%p\"";

    public static string RestoreCommand(string stanza) => $"{Executable} --stanza={stanza} archive-get %f \"%p\"";

    /// <summary>
    /// The node's config: <paramref name="nodes"/>[0] is pg1 (this node), the others follow so a backup can find the
    /// primary and a standby among them (backup-standby). <paramref name="repositories"/>[0] is repo1 (the local
    /// one), an off-site one repo2: archive-push pushes every segment to each, a backup goes to one (--repo).
    /// </summary>
    public static string Render(string stanza, IReadOnlyList<PgBackRestRepository> repositories, PgBackRestPaths paths, IReadOnlyList<PgBackRestNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(nodes);
        var problems = new ProblemList();
        problems.Check(nodes.Count is > 0 and <= 8, $"a pgBackRest stanza takes 1-8 nodes, not {nodes.Count}");
        problems.Check(repositories.Count is > 0 and <= 4, $"a pgBackRest stanza takes 1-4 repositories, not {repositories.Count}");
        foreach (var repository in repositories)
        {
            problems.Check(repository.RetentionDays is >= 1 and <= 9999999, $"invalid backup retention {repository.RetentionDays}: 1-9999999 days");
        }

        problems.Check(IsStanza(stanza), $"invalid stanza '{stanza}'");
        foreach (var (name, value) in Values(repositories, paths).Concat(nodes.SelectMany(n => new[] { ("pg-path", n.DataDirectory), ("pg-socket-path", n.SocketDirectory) })))
        {
            problems.Check(value.Length > 0 && !value.Any(char.IsControl), $"invalid pgBackRest {name}: empty or with control characters");
        }

        problems.ThrowIfAny();
        var text = new StringBuilder();
        text.Append("# Written by Hangar; rewritten whenever the cluster's nodes or repository change.\n[global]\n");
        foreach (var (name, value) in Values(repositories, paths))
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        text.Append('\n').Append('[').Append(stanza).Append("]\n");
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            text.Append("pg").Append(n).Append("-path=").Append(nodes[i].DataDirectory).Append('\n');
            text.Append("pg").Append(n).Append("-port=").Append(nodes[i].Port.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("pg").Append(n).Append("-socket-path=").Append(nodes[i].SocketDirectory).Append('\n');
        }

        return text.ToString();
    }

    private static IEnumerable<(string Name, string Value)> Values(IReadOnlyList<PgBackRestRepository> repositories, PgBackRestPaths paths) =>
        repositories.SelectMany((repository, i) => RepositoryValues("repo" + (i + 1).ToString(CultureInfo.InvariantCulture), repository)).Concat(Common(paths));

    private static IEnumerable<(string Name, string Value)> RepositoryValues(string repo, PgBackRestRepository repository)
    {
        yield return (repo + "-type", "s3");
        yield return (repo + "-s3-endpoint", repository.Host);
        yield return (repo + "-storage-port", repository.Port.ToString(CultureInfo.InvariantCulture));
        yield return (repo + "-s3-bucket", repository.Bucket);
        yield return (repo + "-s3-region", repository.Region);
        // Path style works with every S3-compatible server (virtual-hosted needs DNS for BUCKET.HOST).
        yield return (repo + "-s3-uri-style", "path");
        yield return (repo + "-s3-key", repository.AccessKey);
        yield return (repo + "-s3-key-secret", repository.SecretKey);
        yield return (repo + "-storage-verify-tls", "y");
        if (repository.CaFile is { } ca)
        {
            yield return (repo + "-storage-ca-file", ca);
        }

        yield return (repo + "-path", repository.Path);
        // Time-based: full backups (and the WAL they need) older than the window go; one older full stays so the whole window is restorable.
        yield return (repo + "-retention-full-type", "time");
        yield return (repo + "-retention-full", repository.RetentionDays.ToString(CultureInfo.InvariantCulture));
    }

    private static IEnumerable<(string Name, string Value)> Common(PgBackRestPaths paths) =>
    [
        // zstd: about gzip's ratio at a fraction of its CPU, and fast to decompress at restore.
        ("compress-type", "zst"),
        ("compress-level", "3"),
        ("process-max", "2"),
        // archive_command returns as soon as the segment is in the spool queue; a background process pushes it and
        // retries, so a restarting S3 server neither loses a segment nor stalls commits.
        ("archive-async", "y"),
        ("spool-path", paths.SpoolPath),
        ("log-path", paths.LogPath),
        ("lock-path", paths.LockPath),
        ("log-level-console", "off"),
        ("log-level-stderr", "error"),
        ("log-level-file", "info"),
        ("start-fast", "y"),
        ("archive-timeout", "30"),
        ("io-timeout", "30"),
    ];

    private static bool IsStanza(string stanza) =>
        stanza.Length is > 0 and <= 63 && stanza.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
