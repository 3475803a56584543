namespace Hangar.Core.Resources;

/// <summary>Where managed Postgres (`mpg`) records live, and how the pooler of one is named.</summary>
public static class MpgKeys
{
    public const string Prefix = StoreKeys.Root + "mpg/";

    public const string Kind = "mpg";

    public static string Cluster(string name) => Prefix + name;

    /// <summary>Owner of the pool's port: "mpg:NAME".</summary>
    public static string Owner(string name) => Kind + ":" + name;

    /// <summary>"pgbouncer-NAME": the supervised PgBouncer and its log file.</summary>
    public static string PoolProcess(string name) => "pgbouncer-" + name;
}
