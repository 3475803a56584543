using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Redis.Update;

internal static class RedisUpdateCommand
{
    public static Command Create()
    {
        var name = RedisOptions.Name();
        var maxMemory = new Option<int?>("--maxmemory") { Description = "Memory limit in MB (16-65536)" };
        var (enable, disable) = RedisOptions.EvictionFlags();
        return new Command("update", "Change an instance's memory limit or eviction, live").With(name, maxMemory, enable, disable, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var updated = await context.Client.UpdateRedisAsync(context.Get(name), new RedisUpdateRequest
            {
                MaxMemoryMb = context.Get(maxMemory),
                Eviction = RedisOptions.Eviction(context, enable, disable),
            }, ct);
            context.Out.Write(updated, r => Output.Line($"Redis {r.Name} updated: maxmemory {r.MaxMemoryMb} MB, eviction policy {r.EvictionPolicy}"));
            return 0;
        });
    }
}
