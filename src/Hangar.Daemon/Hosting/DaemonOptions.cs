namespace Hangar.Daemon.Hosting;

/// <summary>The options of `hangar up`.</summary>
public sealed record DaemonOptions
{
    public required string DataDir { get; init; }

    public string ApiListen { get; init; } = "127.0.0.1:4280";

    /// <summary>Endpoints of an existing etcd cluster; empty means start and supervise a local one.</summary>
    public IReadOnlyList<string> EtcdEndpoints { get; init; } = [];

    public string Region { get; init; } = "local";

    public int EtcdClientPort { get; init; } = 4282;

    public int EtcdPeerPort { get; init; } = 4283;

    /// <summary>Address servers bind to and clients are given; loopback unless told otherwise.</summary>
    public string AdvertiseAddress { get; init; } = "127.0.0.1";

    /// <summary>Plain-HTTP address of the S3 server (a fixed port: apps are given it as AWS_ENDPOINT_URL_S3).</summary>
    public string S3Listen { get; init; } = "127.0.0.1:4281";

    /// <summary>HTTPS address of the S3 server (a fixed port, like <see cref="S3Listen"/>); null for none.</summary>
    public string? S3HttpsListen { get; init; } = DefaultS3HttpsListen;

    public const string DefaultS3HttpsListen = "127.0.0.1:4284";

    /// <summary>PEM certificate and key for S3 HTTPS; absent, the daemon issues one from the platform CA.</summary>
    public string? S3CertFile { get; init; }

    public string? S3KeyFile { get; init; }

    /// <summary>Virtual-hosted-style requests to BUCKET.{S3Domain} address BUCKET.</summary>
    public string S3Domain { get; init; } = "s3.localhost";

    /// <summary>Free MiB on the data disk S3 uploads may not use; null for the S3 server's default (max of 64 MiB and 1%).</summary>
    public int? S3MinFreeMb { get; init; }

    /// <summary>Days between scheduled restore drills of each cluster with backups; 0 for none (`backup drill` by hand only).</summary>
    public int BackupDrillDays { get; init; } = DefaultBackupDrillDays;

    public const int DefaultBackupDrillDays = 7;

    /// <summary>The off-site pgBackRest repository (repo2) of every cluster's backups; null for none.</summary>
    public OffsiteBackupOptions? OffsiteBackups { get; init; }

    /// <summary>Ports handed to clusters, proxies and Redis instances; give two daemons on one host distinct ranges.</summary>
    public int PortRangeFirst { get; init; } = 15000;

    public int PortRangeLast { get; init; } = 15999;

    /// <summary>
    /// The Litestream binary `hangar sqlite` supervises. scripts/install-deps.sh puts it in .build/tools/litestream/,
    /// beside the build directories, so the default is found from the running binary (.build/hangar-STAMP/hangar).
    /// </summary>
    public string LitestreamPath { get; init; } = DefaultLitestreamPath();

    /// <summary>
    /// The Prometheus to query (the dashboard's charts, `hangar status`): the embedded one's URL, the external one given
    /// by `--prometheus-url`, or null when metrics are off (`--prometheus=false`).
    /// </summary>
    public string? PrometheusUrl { get; init; }

    /// <summary>Start Debian's Prometheus as a supervised process (`--prometheus`, on unless an external URL is given).</summary>
    public bool EmbeddedPrometheus { get; init; }

    /// <summary>Where the embedded Prometheus listens; null for the advertise address, port <see cref="DefaultPrometheusPort"/>.</summary>
    public string? PrometheusListen { get; init; }

    public const int DefaultPrometheusPort = 4285;

    /// <summary>How long the embedded Prometheus keeps samples, in Prometheus's duration syntax (`--prometheus-retention`).</summary>
    public string PrometheusRetention { get; init; } = "15d";

    /// <summary>Scrape interval of the embedded Prometheus (`--prometheus-scrape-interval`).</summary>
    public string PrometheusScrapeInterval { get; init; } = "15s";

    public bool EmbeddedEtcd => EtcdEndpoints.Count == 0;

    public string EmbeddedPrometheusListen() =>
        PrometheusListen ?? (AdvertiseAddress.Contains(':', StringComparison.Ordinal) ? "[" + AdvertiseAddress + "]" : AdvertiseAddress)
            + ":" + DefaultPrometheusPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The URL clients query the embedded Prometheus at: its listen address, with a wildcard host replaced by the advertise address.</summary>
    public string EmbeddedPrometheusUrl()
    {
        var listen = EmbeddedPrometheusListen();
        var colon = listen.LastIndexOf(':');
        var host = listen[..colon].Trim('[', ']');
        host = host is "0.0.0.0" or "::" ? AdvertiseAddress : host;
        return "http://" + (host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host) + ":" + listen[(colon + 1)..];
    }

    public static string DefaultLitestreamPath() =>
        Environment.GetEnvironmentVariable("HANGAR_LITESTREAM") is { Length: > 0 } fromEnv ? fromEnv
        : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "tools", "litestream", "litestream"));

    public static string DefaultDataDir() =>
        Environment.GetEnvironmentVariable("HANGAR_DATA_DIR") is { Length: > 0 } fromEnv ? fromEnv
        : Environment.UserName == "root" ? "/var/lib/hangar"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "hangar");
}
