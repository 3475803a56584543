using Hangar.Daemon.Hosting;
using Hangar.Supervision;

namespace Hangar.Daemon.Metrics;

/// <summary>
/// Debian's Prometheus (2.42) as the supervised process "prometheus": one scrape job whose targets come from the
/// daemon's service discovery (/v1/metrics/targets), with the read-only metrics token for both the discovery and
/// the scrapes; TSDB in DATA/prometheus/data (a plain directory, see docs/ARCHITECTURE.md), bound to the advertise
/// address. Started after the API listens, since its discovery URL is the API's real address.
/// </summary>
internal sealed class EmbeddedPrometheus(DaemonOptions options, DataDirectory data, MetricsToken token)
{
    public const string ProcessName = "prometheus";
    public const string ServerPath = "/usr/bin/prometheus";

    public string ConfigFile => Path.Combine(data.Prometheus, "prometheus.yml");

    public string DataDir => Path.Combine(data.Prometheus, "data");

    public string Listen => options.EmbeddedPrometheusListen();

    /// <summary>The configuration for a daemon whose API is at <paramref name="apiAuthority"/> (host:port).</summary>
    public string Config(string apiAuthority) => string.Join('\n',
        "# Written by the hangar daemon at every start; changes here are overwritten.",
        "global:",
        $"  scrape_interval: {options.PrometheusScrapeInterval}",
        $"  evaluation_interval: {options.PrometheusScrapeInterval}",
        "scrape_configs:",
        "  - job_name: hangar",
        "    authorization:",
        "      type: Bearer",
        $"      credentials_file: {token.Path}",
        "    http_sd_configs:",
        $"      - url: http://{apiAuthority}{MetricsEndpoints.TargetsPath}",
        "        refresh_interval: 5s",
        // Without an explicit type, Prometheus 2.42 sends the discovery request's header as the bare token.
        "        authorization:",
        "          type: Bearer",
        $"          credentials_file: {token.Path}",
        string.Empty);

    public ProcessSpec Spec(string apiAuthority, HttpClient probe)
    {
        Directory.CreateDirectory(DataDir);
        File.WriteAllText(ConfigFile + ".tmp", Config(apiAuthority));
        File.Move(ConfigFile + ".tmp", ConfigFile, overwrite: true);
        var url = options.EmbeddedPrometheusUrl();
        return new ProcessSpec
        {
            Name = ProcessName,
            FileName = ServerPath,
            Arguments =
            [
                "--config.file=" + ConfigFile,
                "--storage.tsdb.path=" + DataDir,
                "--storage.tsdb.retention.time=" + options.PrometheusRetention,
                "--web.listen-address=" + Listen,
                "--web.enable-lifecycle",
                "--log.level=warn",
            ],
            WorkingDirectory = data.Prometheus,
            IdentityMarker = "--storage.tsdb.path=" + DataDir,
            StopTimeout = TimeSpan.FromSeconds(30),
            Readiness = async ct =>
            {
                try
                {
                    using var response = await probe.GetAsync(new Uri(url + "/-/ready"), ct);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
        };
    }
}
