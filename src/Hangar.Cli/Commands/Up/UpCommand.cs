using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Daemon.Hosting;

namespace Hangar.Cli.Commands.Up;

internal static class UpCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Where Hangar keeps its data (env HANGAR_DATA_DIR; default /var/lib/hangar as root, else ~/.local/share/hangar)" };
        var apiListen = new Option<string>("--api-listen") { Description = "Address of the API", DefaultValueFactory = _ => "127.0.0.1:4280" };
        var etcd = new Option<string>("--etcd") { Description = "Join an existing etcd cluster (URL[,URL...]) instead of starting a local one" };
        var region = new Option<string>("--region") { Description = "This host's region", DefaultValueFactory = _ => "local" };
        var advertise = new Option<string>("--advertise-address") { Description = "Address servers bind to and clients are given", DefaultValueFactory = _ => "127.0.0.1" };
        var etcdClientPort = new Option<int>("--etcd-client-port") { Description = "Client port of the local etcd", DefaultValueFactory = _ => 4282 };
        var etcdPeerPort = new Option<int>("--etcd-peer-port") { Description = "Peer port of the local etcd", DefaultValueFactory = _ => 4283 };
        var s3Listen = new Option<string>("--s3-listen") { Description = "Address of the S3 server (plain HTTP)", DefaultValueFactory = _ => "127.0.0.1:4281" };
        var s3HttpsListen = new Option<string>("--s3-https-listen") { Description = "Address of the S3 server over HTTPS, certificate from the platform CA unless --s3-cert/--s3-key; 'off' for none", DefaultValueFactory = _ => DaemonOptions.DefaultS3HttpsListen };
        var s3Cert = new Option<string>("--s3-cert") { Description = "PEM certificate for S3 HTTPS (instead of one from the platform CA)" };
        var s3Key = new Option<string>("--s3-key") { Description = "PEM private key for S3 HTTPS" };
        var s3MinFree = new Option<int?>("--s3-min-free-mb") { Description = "Free MiB on the data disk that S3 uploads may not use (default: the larger of 64 and 1% of the disk)" };
        var portRange = new Option<string>("--port-range") { Description = "Ports for clusters, proxies and Redis instances (FIRST-LAST)", DefaultValueFactory = _ => "15000-15999" };
        var s3Domain = new Option<string>("--s3-domain") { Description = "Virtual-hosted-style requests go to BUCKET.DOMAIN", DefaultValueFactory = _ => "s3.localhost" };
        var backupS3 = new Option<string>("--backup-s3") { Description = "Off-site copy of every cluster's backups: an S3-compatible endpoint, https://HOST[:PORT] (pgBackRest's repo2)" };
        var backupS3Key = new Option<string>("--backup-s3-key") { Description = "Access key id for --backup-s3" };
        var backupS3Secret = new Option<string>("--backup-s3-secret") { Description = $"Secret access key for --backup-s3 (or {OffsiteBackupOptions.SecretVariable}, which stays out of `ps`)" };
        var backupS3Bucket = new Option<string>("--backup-s3-bucket") { Description = $"Bucket for --backup-s3 (must exist; each cluster under /hangar/NAME; default {OffsiteBackupOptions.DefaultBucket})" };
        var backupS3Region = new Option<string>("--backup-s3-region") { Description = $"Signing region for --backup-s3 (default {OffsiteBackupOptions.DefaultRegion})" };
        var drillDays = new Option<int>("--backup-drill-days") { Description = "Days between scheduled restore drills of each cluster with backups; 0 for none", DefaultValueFactory = _ => DaemonOptions.DefaultBackupDrillDays };
        var backupS3Ca = new Option<string>("--backup-s3-ca-file") { Description = "PEM CA bundle to verify --backup-s3 with (default: the system's CAs)" };
        var prometheus = new Option<bool>("--prometheus") { Description = "Run the embedded Prometheus (Debian's), scraping every exporter through the daemon's service discovery; --prometheus=false for none", DefaultValueFactory = _ => true };
        var prometheusUrl = new Option<string>("--prometheus-url") { Description = "Query an external Prometheus at this URL instead of running one (point its http_sd_configs at /v1/metrics/targets)" };
        var prometheusRetention = new Option<string>("--prometheus-retention") { Description = "How long the embedded Prometheus keeps samples", DefaultValueFactory = _ => "15d" };
        var prometheusListen = new Option<string>("--prometheus-listen") { Description = $"Address of the embedded Prometheus (default: the advertise address, port {DaemonOptions.DefaultPrometheusPort})" };
        var prometheusInterval = new Option<string>("--prometheus-scrape-interval") { Description = "Scrape interval of the embedded Prometheus", DefaultValueFactory = _ => "15s" };
        return new Command("up", "Start the Hangar daemon in the foreground (Ctrl-C stops it and everything it runs)")
            .With(dataDir, apiListen, etcd, region, advertise, etcdClientPort, etcdPeerPort, s3Listen, s3HttpsListen, s3Cert, s3Key, s3Domain, s3MinFree, portRange, backupS3, backupS3Key, backupS3Secret, backupS3Bucket, backupS3Region, backupS3Ca, drillDays, prometheus, prometheusUrl, prometheusRetention, prometheusListen, prometheusInterval)
            .Runs(async (context, ct) =>
            {
                var ports = DaemonOptionsValidator.PortRange(context.Get(portRange));
                var offsite = OffsiteBackupValidator.Parse(context.Get(backupS3), context.Get(backupS3Key), context.Get(backupS3Secret), context.Get(backupS3Bucket), context.Get(backupS3Region), context.Get(backupS3Ca));
                var options = new DaemonOptions
                {
                    DataDir = context.Get(dataDir) ?? DaemonOptions.DefaultDataDir(),
                    ApiListen = context.Get(apiListen),
                    EtcdEndpoints = context.Get(etcd) is { Length: > 0 } urls ? urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
                    Region = context.Get(region),
                    AdvertiseAddress = context.Get(advertise),
                    EtcdClientPort = context.Get(etcdClientPort),
                    EtcdPeerPort = context.Get(etcdPeerPort),
                    S3Listen = context.Get(s3Listen),
                    S3HttpsListen = context.Get(s3HttpsListen) is { } https && !https.Equals("off", StringComparison.OrdinalIgnoreCase) ? https : null,
                    S3CertFile = context.Get(s3Cert),
                    S3KeyFile = context.Get(s3Key),
                    S3Domain = context.Get(s3Domain),
                    S3MinFreeMb = context.Get(s3MinFree),
                    BackupDrillDays = context.Get(drillDays),
                    PortRangeFirst = ports.First,
                    PortRangeLast = ports.Last,
                    OffsiteBackups = offsite,
                    PrometheusRetention = context.Get(prometheusRetention),
                    PrometheusListen = context.Get(prometheusListen),
                    PrometheusScrapeInterval = context.Get(prometheusInterval),
                };
                var external = context.Get(prometheusUrl);
                var embedded = context.Get(prometheus) && external is null;
                options = options with
                {
                    EmbeddedPrometheus = embedded,
                    PrometheusUrl = embedded ? options.EmbeddedPrometheusUrl() : external?.TrimEnd('/'),
                };
                DaemonOptionsValidator.Validate(options);
                return await DaemonHost.RunAsync(options, Output.Line, ct);
            });
    }
}
