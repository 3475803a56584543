using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Mpg.Config.Update;

internal static class MpgConfigUpdateCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var maxConnections = new Option<int?>("--max-connections") { Description = "max_connections (needs a restart: --force)" };
        var sharedBuffers = new Option<string>("--shared-buffers") { Description = "shared_buffers, e.g. 256MB (needs a restart: --force)" };
        var workMem = new Option<string>("--work-mem") { Description = "work_mem, e.g. 8MB" };
        var slow = new Option<int?>("--log-min-duration-statement") { Description = "Log statements slower than this many ms (-1: off)" };
        var logStatement = new Option<string>("--log-statement") { Description = "none, ddl, mod or all" };
        var poolSize = new Option<int?>("--pool-size") { Description = "Server connections per database and user (at most max_connections - 10)" };
        var poolMode = new Option<string>("--pool-mode") { Description = "transaction (default), session or statement" };
        var force = new Option<bool>("--force") { Description = "Restart the nodes (rolling, the pool paused around the switchover) when a change needs it" };
        return new Command("update", "Change Postgres settings and the pool; nothing is written when a value is wrong")
            .With(cluster, maxConnections, sharedBuffers, workMem, slow, logStatement, poolSize, poolMode, force).Runs(async (context, ct) =>
            {
                var updated = await context.Client.UpdateMpgConfigAsync(context.Get(cluster), new MpgConfigUpdateRequest
                {
                    MaxConnections = context.Get(maxConnections),
                    SharedBuffers = context.Get(sharedBuffers),
                    WorkMem = context.Get(workMem),
                    LogMinDurationStatement = context.Get(slow),
                    LogStatement = context.Get(logStatement),
                    PoolSize = context.Get(poolSize),
                    PoolMode = context.Get(poolMode),
                    Force = context.Get(force),
                }, ct);
                context.Out.Write(updated, MpgFormat.Config);
                return 0;
            });
    }
}
