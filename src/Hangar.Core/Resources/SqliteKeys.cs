namespace Hangar.Core.Resources;

/// <summary>Where SQLite replication records live in the store, and how other records name one.</summary>
public static class SqliteKeys
{
    public const string Prefix = StoreKeys.Root + "sqlite/";

    /// <summary>The kind in check resources and SecretBox associated data ("sqlite:NAME").</summary>
    public const string Kind = "sqlite";

    public const string ProcessPrefix = "litestream-";

    public static string Database(string name) => Prefix + name;

    /// <summary>SecretBox associated data of the access key's secret: "sqlite:NAME".</summary>
    public static string Owner(string name) => Kind + ":" + name;

    /// <summary>The supervised `litestream replicate` and its log file: "litestream-NAME" (`hangar logs -a NAME` finds it).</summary>
    public static string ProcessName(string name) => ProcessPrefix + name;
}
