using System.CommandLine;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Commands.Redis;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Status;

internal static class StatusCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App(required: false);
        app.Description = "Show one Postgres cluster or Redis instance instead of the daemon";
        return new Command("status", "Show the daemon, its store, resource counts and supervised processes").With(app).Runs(async (context, ct) =>
        {
            if (context.Get(app) is { } name)
            {
                // Clusters and Redis instances share one namespace of names in practice; ask which kind it is.
                if ((await context.Client.ListPostgresAsync(ct)).Any(c => c.Name == name))
                {
                    context.Out.Write(await context.Client.PostgresStatusAsync(name, ct), PostgresFormat.Status);
                    return 0;
                }

                context.Out.Write(await context.Client.RedisStatusAsync(name, ct), RedisFormat.Status);
                return 0;
            }

            var status = await context.Client.StatusAsync(ct);
            context.Out.Write(status, Print);
            return status.Store.Healthy ? 0 : 1;
        });
    }

    private static void Print(StatusInfo s)
    {
        Output.Fields(
            ("Daemon", $"hangar v{s.Version}, up since {s.StartedAt:u}"),
            ("Region", s.Region),
            ("Data dir", s.DataDir),
            ("Store", $"{s.Store.Backend} {s.Store.Version} at {string.Join(",", s.Store.Endpoints)} ({(s.Store.Embedded ? "local" : "external")}): {(s.Store.Healthy ? "healthy" : "UNHEALTHY " + s.Store.Error)}"),
            ("Resources", string.Join(", ", s.Resources.Select(kv => $"{kv.Value} {kv.Key}"))),
            ("Prometheus", s.PrometheusUrl ?? "off"));
        Output.Line(string.Empty);
        Output.Table(["process", "state", "pid", "ready", "restarts", "since"],
            s.Processes.Select(p => new[] { p.Name, p.State + (p.Adopted ? " (adopted)" : string.Empty), p.Pid?.ToString(), p.Ready ? "yes" : "no", p.Restarts.ToString(), p.StartedAt is { } at ? Output.Ago(at) : null }));
    }
}
