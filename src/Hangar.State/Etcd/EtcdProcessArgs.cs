using System.Globalization;

namespace Hangar.State.Etcd;

/// <summary>The etcd 3.4 command line for an <see cref="EtcdMemberOptions"/> member, for the daemon's supervisor to run.</summary>
public static class EtcdProcessArgs
{
    /// <summary>Where Debian's etcd-server package installs the binary.</summary>
    public const string DefaultExecutable = "/usr/bin/etcd";

    public static IReadOnlyList<string> Build(EtcdMemberOptions member)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentException.ThrowIfNullOrEmpty(member.Name);
        ArgumentException.ThrowIfNullOrEmpty(member.DataDirectory);
        var clientUrl = Url(member.ClientUrl);
        var peerUrl = Url(member.PeerUrl);
        return
        [
            "--name", member.Name,
            "--data-dir", member.DataDirectory,
            "--listen-client-urls", clientUrl,
            "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"{member.Name}={peerUrl}",

            // "new" is only read when the data dir is empty; a restarted member rejoins from its data dir,
            // so the same command line serves first start and every restart.
            "--initial-cluster-state", "new",
            "--initial-cluster-token", $"hangar-{member.Name}",
            "--auto-compaction-mode", "periodic",
            "--auto-compaction-retention", Duration(member.CompactionRetention),
            "--quota-backend-bytes", member.QuotaBackendBytes.ToString(CultureInfo.InvariantCulture),

            // zap writes one JSON object per line to stderr, which the supervisor appends to the log file;
            // the default capnslog logger is deprecated in 3.4 and warns about it on every start.
            "--logger", "zap",
            "--log-outputs", "stderr",
            "--log-level", "warn",
        ];
    }

    /// <summary>etcd parses the periodic retention as a Go duration ("90m", "1h0m0s").</summary>
    private static string Duration(TimeSpan retention)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.FromMinutes(1), nameof(retention));
        return ((long)retention.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m";
    }

    /// <summary>etcd rejects URLs with a path, and Uri.ToString adds "/".</summary>
    private static string Url(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
