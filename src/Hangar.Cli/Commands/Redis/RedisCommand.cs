using System.CommandLine;
using Hangar.Cli.Commands.Redis.Attach;
using Hangar.Cli.Commands.Redis.Connect;
using Hangar.Cli.Commands.Redis.Create;
using Hangar.Cli.Commands.Redis.Destroy;
using Hangar.Cli.Commands.Redis.Detach;
using Hangar.Cli.Commands.Redis.List;
using Hangar.Cli.Commands.Redis.Status;
using Hangar.Cli.Commands.Redis.Update;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Redis;

/// <summary>`hangar redis ...`: flyctl's `fly redis` verbs over real redis-server instances.</summary>
internal static class RedisCommand
{
    public static Command Create() =>
        new Command("redis", "Manage Redis instances: password-protected redis-server with persistence on a volume")
            .With(RedisCreateCommand.Create(), RedisListCommand.Create(), RedisStatusCommand.Create(), RedisConnectCommand.Create(),
                RedisAttachCommand.Create(), RedisDetachCommand.Create(), RedisUpdateCommand.Create(), RedisDestroyCommand.Create(), Dashboard.RedisDashboardCommand.Create());
}
