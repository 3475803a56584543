using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Daemon.Hosting;

namespace Hangar.Cli.Commands.Up;

internal static class DaemonOptionsValidator
{
    /// <summary>"FIRST-LAST", 1024-65535, at least 10 ports.</summary>
    public static (int First, int Last) PortRange(string range)
    {
        var parts = range.Split('-');
        if (parts.Length == 2 && int.TryParse(parts[0], out var first) && int.TryParse(parts[1], out var last) && first >= 1024 && last <= 65535 && last - first >= 9)
        {
            return (first, last);
        }

        throw HangarException.Invalid($"invalid --port-range '{range}': expected FIRST-LAST within 1024-65535, at least 10 ports");
    }

    public static void Validate(DaemonOptions options)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("region", options.Region));
        problems.Range("--etcd-client-port", options.EtcdClientPort, 1, 65535);
        problems.Range("--etcd-peer-port", options.EtcdPeerPort, 1, 65535);
        problems.Check(options.EtcdClientPort != options.EtcdPeerPort, $"--etcd-client-port and --etcd-peer-port must differ (both {options.EtcdClientPort})");
        problems.Check(System.Net.IPAddress.TryParse(options.AdvertiseAddress, out _), $"invalid --advertise-address '{options.AdvertiseAddress}': expected an IP address");
        foreach (var url in options.EtcdEndpoints)
        {
            problems.Check(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                $"invalid --etcd URL '{url}': expected http://HOST:PORT");
        }

        S3Listen(problems, "--s3-listen", options.S3Listen);
        if (options.S3HttpsListen is { } https)
        {
            S3Listen(problems, "--s3-https-listen", https);
            problems.Check(https != options.S3Listen, $"--s3-listen and --s3-https-listen must differ (both {https})");
        }

        problems.Check((options.S3CertFile is null) == (options.S3KeyFile is null), "--s3-cert and --s3-key go together");
        problems.Check(options.S3CertFile is null || options.S3HttpsListen is not null, "--s3-cert needs HTTPS on: not --s3-https-listen off");
        foreach (var file in new[] { options.S3CertFile, options.S3KeyFile })
        {
            problems.Check(file is null || File.Exists(file), $"--s3-cert/--s3-key file '{file}' does not exist");
        }

        problems.Range("--s3-min-free-mb", options.S3MinFreeMb, 0, 1024 * 1024);
        problems.Range("--backup-drill-days", options.BackupDrillDays, 0, 365);
        problems.Check(options.PrometheusUrl is null || (Uri.TryCreate(options.PrometheusUrl, UriKind.Absolute, out var prometheus) && prometheus.Scheme is "http" or "https"
            && prometheus.Query.Length == 0 && prometheus.Fragment.Length == 0 && prometheus.UserInfo.Length == 0 && options.PrometheusUrl.AsSpan().IndexOfAny('\r', '\n') < 0),
            $"invalid --prometheus-url '{options.PrometheusUrl}': expected http(s)://HOST:PORT[/PATH] with no query or credentials");
        problems.Check(Uri.CheckHostName(options.S3Domain) == UriHostNameType.Dns, $"invalid --s3-domain '{options.S3Domain}': expected a DNS name");
        Prometheus(problems, options);
        problems.ThrowIfAny();
        DaemonHost.ParseListen(options.ApiListen);
    }

    private static void Prometheus(ProblemList problems, DaemonOptions options)
    {
        if (options.PrometheusUrl is { } url && !options.EmbeddedPrometheus)
        {
            problems.Check(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0,
                $"invalid --prometheus-url '{url}': expected http(s)://HOST[:PORT] of a Prometheus server");
        }

        problems.Check(System.Text.RegularExpressions.Regex.IsMatch(options.PrometheusRetention, "^([0-9]+(ms|s|m|h|d|w|y))+$") && options.PrometheusRetention.Any(c => c is >= '1' and <= '9'),
            $"invalid --prometheus-retention '{options.PrometheusRetention}': expected a duration such as 15d, 12h or 2w (units ms, s, m, h, d, w, y)");
        problems.Check(System.Text.RegularExpressions.Regex.IsMatch(options.PrometheusScrapeInterval, "^[1-9][0-9]*(ms|s|m)$"),
            $"invalid --prometheus-scrape-interval '{options.PrometheusScrapeInterval}': expected a duration such as 15s, 500ms or 1m");
        if (options.PrometheusListen is { } listen)
        {
            S3Listen(problems, "--prometheus-listen", listen);
        }
    }

    // A fixed port: apps are given this address as AWS_ENDPOINT_URL_S3, so it must not change from run to run
    // (the embedded Prometheus's too: `hangar status` and the dashboard give its URL).
    private static void S3Listen(ProblemList problems, string flag, string listen)
    {
        var colon = listen.LastIndexOf(':');
        problems.Check(colon > 0 && System.Net.IPAddress.TryParse(listen[..colon].Trim('[', ']'), out _)
            && int.TryParse(listen[(colon + 1)..], out var port) && port is > 0 and <= 65535,
            $"invalid {flag} '{listen}': expected IP:PORT with a fixed port, for example 127.0.0.1:4281{(flag == "--s3-https-listen" ? ", or off" : string.Empty)}");
    }
}
