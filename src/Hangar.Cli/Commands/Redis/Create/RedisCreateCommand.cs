using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Redis.Create;

internal static class RedisCreateCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name", "-n") { Description = "Instance name", Required = true };
        var region = new Option<string>("--region", "-r") { Description = "Region (default: the daemon's)" };
        var maxMemory = new Option<int?>("--maxmemory") { Description = "Memory limit in MB (16-65536, default 256)" };
        var (enable, disable) = RedisOptions.EvictionFlags();
        var persistence = new Option<string>("--persistence") { Description = "aof (default: append-only file, fsync every second), rdb or none" };
        return new Command("create", "Create a Redis instance and print its connection URL (shown once)")
            .With(name, region, maxMemory, enable, disable, persistence, GlobalOptions.Yes)
            .Runs(async (context, ct) =>
            {
                var created = await context.Client.CreateRedisAsync(new RedisCreateRequest
                {
                    Name = context.Get(name),
                    Region = context.Get(region),
                    MaxMemoryMb = context.Get(maxMemory),
                    Eviction = RedisOptions.Eviction(context, enable, disable),
                    Persistence = context.Get(persistence),
                }, ct);
                context.Out.Write(created, RedisFormat.Created);
                return 0;
            });
    }
}
