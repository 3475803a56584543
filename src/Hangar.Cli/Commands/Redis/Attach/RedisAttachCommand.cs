using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Redis.Attach;

internal static class RedisAttachCommand
{
    public static Command Create()
    {
        var name = RedisOptions.Name();
        var app = GlobalOptions.App();
        var variable = new Option<string>("--variable-name") { Description = "Secret to set on the app (default REDIS_URL)" };
        return new Command("attach", "Set the instance's URL as a secret on an app").With(name, app, variable).Runs(async (context, ct) =>
        {
            var redis = context.Get(name);
            var target = context.Get(app);
            var secret = context.Get(variable) ?? "REDIS_URL";
            await context.Client.AttachRedisAsync(redis, new RedisAttachRequest(target, context.Get(variable)), ct);
            context.Out.Write(new { redis, app = target, variable = secret }, _ => Output.Line($"Redis {redis} attached to app {target}: secret {secret} set"));
            return 0;
        });
    }
}
