using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Redis.Destroy;

internal static class RedisDestroyCommand
{
    public static Command Create()
    {
        var name = RedisOptions.Name();
        var force = new Option<bool>("--force") { Description = "Destroy even while attached: the apps' secrets are removed" };
        return new Command("destroy", "Destroy an instance, its data and its secrets on apps").With(name, force, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var redis = context.Get(name);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy Redis {redis} and all its data?", $"not destroying redis {redis} without confirmation");
            await context.Client.DestroyRedisAsync(redis, context.Get(force), ct);
            context.Out.Write(new { destroyed = redis }, _ => Output.Line($"Destroyed Redis {redis}"));
            return 0;
        });
    }
}
