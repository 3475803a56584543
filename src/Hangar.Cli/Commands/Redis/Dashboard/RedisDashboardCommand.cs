using System.CommandLine;
using Hangar.Cli.Commands.Dashboard;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Redis.Dashboard;

internal static class RedisDashboardCommand
{
    public static Command Create()
    {
        var name = RedisOptions.Name();
        return DashboardLinks.Verb(name, context => context.Get(name), "redis", "a Redis instance's");
    }
}
