using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Redis.Detach;

internal static class RedisDetachCommand
{
    public static Command Create()
    {
        var name = RedisOptions.Name();
        var app = GlobalOptions.App();
        return new Command("detach", "Remove the instance's secret from an app").With(name, app).Runs(async (context, ct) =>
        {
            var redis = context.Get(name);
            var target = context.Get(app);
            await context.Client.DetachRedisAsync(redis, target, ct);
            context.Out.Write(new { redis, app = target }, _ => Output.Line($"Redis {redis} detached from app {target}"));
            return 0;
        });
    }
}
