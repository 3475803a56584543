using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Redis.List;

internal static class RedisListCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List Redis instances").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListRedisAsync(ct), RedisFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
