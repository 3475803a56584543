using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Redis;

/// <summary>`hangar redis ...`: flyctl's `fly redis` verbs over real redis-server instances.</summary>
internal static class RedisCommand
{
    public static Command Create() =>
        new Command("redis", "Manage Redis instances: password-protected redis-server with persistence on a volume")
            .With(CreateCommand(), List(), Status(), Connect(), Attach(), Detach(), Update(), Destroy());

    private static Command CreateCommand()
    {
        var name = new Option<string>("--name", "-n") { Description = "Instance name", Required = true };
        var region = new Option<string>("--region", "-r") { Description = "Region (default: the daemon's)" };
        var maxMemory = new Option<int?>("--maxmemory") { Description = "Memory limit in MB (16-65536, default 256)" };
        var (enable, disable) = EvictionOptions();
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
                    Eviction = Eviction(context, enable, disable),
                    Persistence = context.Get(persistence),
                }, ct);
                context.Out.Write(created, RedisFormat.Created);
                return 0;
            });
    }

    private static Command List()
    {
        var list = new Command("list", "List Redis instances").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListRedisAsync(ct), RedisFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }

    private static Command Status()
    {
        var name = NameArgument();
        return new Command("status", "Show an instance: state, port, memory, keys, clients, ops/s, persistence").With(name).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.RedisStatusAsync(context.Get(name), ct), RedisFormat.Status);
            return 0;
        });
    }

    private static Command Connect()
    {
        var name = NameArgument();
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
            Process process;
            try
            {
                process = Process.Start(start) ?? throw HangarException.Invalid("could not start redis-cli");
            }
            catch (Win32Exception ex)
            {
                throw HangarException.Precondition($"could not run redis-cli ({ex.Message}): install the redis-tools package");
            }

            using (process)
            {
                await process.WaitForExitAsync(CancellationToken.None);
                return process.ExitCode;
            }
        });
    }

    private static Command Attach()
    {
        var name = NameArgument();
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

    private static Command Detach()
    {
        var name = NameArgument();
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

    private static Command Update()
    {
        var name = NameArgument();
        var maxMemory = new Option<int?>("--maxmemory") { Description = "Memory limit in MB (16-65536)" };
        var (enable, disable) = EvictionOptions();
        return new Command("update", "Change an instance's memory limit or eviction, live").With(name, maxMemory, enable, disable, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var updated = await context.Client.UpdateRedisAsync(context.Get(name), new RedisUpdateRequest
            {
                MaxMemoryMb = context.Get(maxMemory),
                Eviction = Eviction(context, enable, disable),
            }, ct);
            context.Out.Write(updated, r => Output.Line($"Redis {r.Name} updated: maxmemory {r.MaxMemoryMb} MB, eviction policy {r.EvictionPolicy}"));
            return 0;
        });
    }

    private static Command Destroy()
    {
        var name = NameArgument();
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

    private static Argument<string> NameArgument() => new("name") { Description = "Instance name" };

    private static (Option<bool> Enable, Option<bool> Disable) EvictionOptions() =>
        (new Option<bool>("--enable-eviction") { Description = "Evict least recently used keys when full (allkeys-lru)" },
         new Option<bool>("--disable-eviction") { Description = "Refuse writes when full (noeviction; the default)" });

    private static bool? Eviction(CliContext context, Option<bool> enable, Option<bool> disable) =>
        (context.Get(enable), context.Get(disable)) switch
        {
            (true, true) => throw HangarException.Invalid("--enable-eviction and --disable-eviction cannot go together"),
            (true, false) => true,
            (false, true) => false,
            _ => null,
        };
}
