using System.CommandLine;
using System.Diagnostics;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Redis.Connect;

internal static class RedisConnectCommand
{
    public static Command Create()
    {
        var name = RedisOptions.Name();
        return new Command("connect", "Open redis-cli on an instance with its credentials").With(name).Runs(async (context, ct) =>
        {
            var credentials = await context.Client.RedisCredentialsAsync(context.Get(name), ct);
            var start = new ProcessStartInfo("redis-cli") { UseShellExecute = false };
            foreach (var argument in new[] { "-h", credentials.Host, "-p", credentials.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", credentials.User })
            {
                start.ArgumentList.Add(argument);
            }

            // In the environment, not argv: other users can read a process's arguments in /proc.
            start.Environment["REDISCLI_AUTH"] = credentials.Password;
            return await ClientTool.RunAsync(start, "redis-tools");
        });
    }
}
