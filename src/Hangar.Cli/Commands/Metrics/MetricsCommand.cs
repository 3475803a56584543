using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Metrics;

/// <summary>
/// `hangar metrics targets [--json]`: what the daemon's Prometheus service discovery lists. With --json it is the
/// http_sd_configs document itself, so `hangar metrics targets --json > targets.json` also feeds file_sd_configs.
/// </summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var targets = new Command("targets", "List every metrics target (exporters, the daemon, the S3 server) with its labels, as Prometheus service discovery serves it")
            .Runs(async (context, ct) =>
            {
                var groups = await context.Client.MetricsTargetsAsync(ct);
                context.Out.Write(groups, all => Output.Table(["job", "target", "path", "labels"],
                    all.SelectMany(g => g.Targets.Select(t => new[]
                    {
                        g.Labels.GetValueOrDefault("job"),
                        t,
                        g.Labels.GetValueOrDefault("__metrics_path__") ?? "/metrics",
                        string.Join(" ", g.Labels.Where(l => l.Key is not "job" and not "__metrics_path__").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
                    }))));
                return 0;
            });
        return new Command("metrics", "Prometheus metrics: the scrape targets of this platform").With(targets);
    }
}
