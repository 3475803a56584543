using System.Globalization;

namespace Hangar.Core.Resources;

/// <summary>Where cluster records live in the store, and how processes, ports and volumes of a cluster are named.</summary>
public static class PostgresKeys
{
    public const string Prefix = StoreKeys.Root + "postgres/";

    /// <summary>The kind in attachments ("postgres:NAME").</summary>
    public const string Kind = "postgres";

    /// <summary>Member names are CLUSTER-ORDINAL and must stay valid resource names (at most 63 characters).</summary>
    public const int MaxNameLength = 60;

    public static string Cluster(string name) => Prefix + name;

    /// <summary>Owner of the proxy port: "postgres:NAME".</summary>
    public static string Owner(string name) => Kind + ":" + name;

    /// <summary>Owner of a node's two ports and its volume: "postgres:NAME:ORDINAL", so one node can go alone (scale down).</summary>
    public static string NodeOwner(string name, int ordinal) => Owner(name) + ":" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>Patroni member name of a node.</summary>
    public static string NodeName(string name, int ordinal) => name + "-" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>"pg-NAME-ORDINAL": the node's Patroni process and log file (so `hangar logs -a NAME` finds it).</summary>
    public static string NodeProcess(string name, int ordinal) => "pg-" + NodeName(name, ordinal);

    /// <summary>"proxy-NAME": the leader-following proxy process.</summary>
    public static string ProxyProcess(string name) => "proxy-" + name;
}
