using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Postgres.Config.Update;

internal static class PostgresConfigUpdateCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var maxConnections = new Option<int?>("--max-connections") { Description = "max_connections (10-10000; needs a restart)" };
        var sharedBuffers = new Option<string>("--shared-buffers") { Description = "shared_buffers, e.g. 256MB: B, kB, MB, GB or TB, at least 128kB (needs a restart)" };
        var workMem = new Option<string>("--work-mem") { Description = "work_mem, e.g. 8MB: B, kB, MB, GB or TB, at least 64kB" };
        var logMin = new Option<int?>("--log-min-duration-statement") { Description = "Log statements slower than this many ms (-1: off)" };
        var logStatement = new Option<string>("--log-statement") { Description = "none, ddl, mod or all" };
        var force = new Option<bool>("--force") { Description = "Restart the nodes (rolling) when a change needs it" };
        return new Command("update", "Change PostgreSQL parameters on every node (Patroni's dynamic configuration)")
            .With(app, maxConnections, sharedBuffers, workMem, logMin, logStatement, force, GlobalOptions.Yes)
            .Runs(async (context, ct) =>
            {
                var result = await context.Client.UpdatePostgresConfigAsync(context.Get(app), new PostgresConfigUpdateRequest
                {
                    MaxConnections = context.Get(maxConnections),
                    SharedBuffers = context.Get(sharedBuffers),
                    WorkMem = context.Get(workMem),
                    LogMinDurationStatement = context.Get(logMin),
                    LogStatement = context.Get(logStatement),
                    Force = context.Get(force),
                }, ct);
                var cluster = context.Get(app);
                context.Out.Write(result, r =>
                {
                    if (r.NoLeader)
                    {
                        Output.Line($"Configuration stored. No node leads right now, so each node applies it when its PostgreSQL starts again; watch `hangar postgres status -a {cluster}`.");
                        return;
                    }

                    Output.Line("Configuration updated.");
                    if (r.Restarted)
                    {
                        Output.Line("The nodes were restarted (rolling) to apply it.");
                    }
                    else if (r.PendingRestart.Count > 0)
                    {
                        Output.Line($"A restart is required to apply it on {string.Join(", ", r.PendingRestart)}: run `hangar postgres restart -a {cluster}` or pass --force.");
                    }
                });
                return 0;
            });
    }
}
