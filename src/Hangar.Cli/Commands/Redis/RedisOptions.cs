using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Redis;

/// <summary>Symbols several `hangar redis` verbs take; a new instance each time, as a symbol belongs to one command.</summary>
internal static class RedisOptions
{
    public static Argument<string> Name() => new("name") { Description = "Instance name" };

    public static (Option<bool> Enable, Option<bool> Disable) EvictionFlags() =>
        (new Option<bool>("--enable-eviction") { Description = "Evict least recently used keys when full (allkeys-lru)" },
         new Option<bool>("--disable-eviction") { Description = "Refuse writes when full (noeviction; the default)" });

    /// <summary>The eviction the user asked for: null when neither flag was given, so the daemon keeps its default or the current value.</summary>
    public static bool? Eviction(CliContext context, Option<bool> enable, Option<bool> disable) =>
        (context.Get(enable), context.Get(disable)) switch
        {
            (true, true) => throw HangarException.Invalid("--enable-eviction and --disable-eviction cannot go together"),
            (true, false) => true,
            (false, true) => false,
            _ => null,
        };
}
