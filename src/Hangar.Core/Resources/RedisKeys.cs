namespace Hangar.Core.Resources;

/// <summary>Where Redis records live in the store, and how other records name an instance.</summary>
public static class RedisKeys
{
    public const string Prefix = StoreKeys.Root + "redis/";

    /// <summary>The kind in attachments ("redis:NAME" labels).</summary>
    public const string Kind = "redis";

    public static string Instance(string name) => Prefix + name;

    /// <summary>Owner of its port and its volume: "redis:NAME".</summary>
    public static string Owner(string name) => Kind + ":" + name;

    /// <summary>The supervised process and its log file: "redis-NAME" (so `hangar logs -a NAME` finds it).</summary>
    public static string ProcessName(string name) => "redis-" + name;
}
