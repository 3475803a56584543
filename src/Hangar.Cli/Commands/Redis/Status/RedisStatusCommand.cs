using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Redis.Status;

internal static class RedisStatusCommand
{
    public static Command Create()
    {
        var name = RedisOptions.Name();
        return new Command("status", "Show an instance: state, port, memory, keys, clients, ops/s, persistence").With(name).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.RedisStatusAsync(context.Get(name), ct), RedisFormat.Status);
            return 0;
        });
    }
}
