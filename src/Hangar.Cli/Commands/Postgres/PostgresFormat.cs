using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Postgres;

internal static class PostgresFormat
{
    public static void Created(PostgresCreated created)
    {
        var c = created.Cluster;
        Output.Line($"Postgres cluster {c.Name} created ({c.NodeCount} node{(c.NodeCount == 1 ? string.Empty : "s")}, {c.Preset}{(c.Synchronous ? ", synchronous replication" : string.Empty)})");
        Output.Line($"  Username:    {created.Username}");
        Output.Line($"  Password:    {created.Password}");
        Output.Line($"  Hostname:    {created.Hostname}");
        Output.Line($"  Proxy port:  {created.ProxyPort}");
        Output.Line($"  PG port:     {created.PgPort}");
        Output.Line($"  Connection string: {created.ConnectionString}");
        Output.Line("Save your credentials in a secure place -- you won't be able to see them again!");
        Output.Line(string.Empty);
        Output.Line($"Attach it to an app with `hangar postgres attach {c.Name} --app APP`.");
    }

    public static void Table(IReadOnlyList<PostgresClusterInfo> all) =>
        Output.Table(["name", "state", "nodes", "preset", "region", "cluster port", "apps", "created"],
            all.Select(c => new[]
            {
                c.Name, c.State, c.NodeCount.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Preset, c.Region,
                c.ProxyPort is { } port ? $"{c.Host}:{port}" : "-", c.Apps.Count == 0 ? "-" : string.Join(",", c.Apps), Output.Ago(c.CreatedAt),
            }));

    public static void Status(PostgresStatusInfo s)
    {
        var c = s.Cluster;
        Output.Fields(
            ("Name", c.Name),
            ("State", c.State + (c.Error is { } error ? ": " + error : string.Empty)),
            ("Leader", s.Leader ?? "none"),
            ("Cluster port", c.ProxyPort is { } port ? $"{c.Host}:{port} (proxy {s.ProxyState}{(s.ProxyPid is { } pid ? $", pid {pid}" : string.Empty)}, routing to {s.ProxyLeader ?? "none"}, {s.ProxyActiveConnections ?? 0} connections)" : "-"),
            ("Replication", c.Synchronous ? "synchronous" : "asynchronous"),
            ("Apps", c.Apps.Count == 0 ? "-" : string.Join(", ", c.Apps)));
        if (s.Unreachable is { } why)
        {
            Output.Line("Patroni not answering: " + why);
        }

        Output.Line(string.Empty);
        Output.Table(["node", "role", "state", "lag", "timeline", "volume", "pg port", "process"],
            s.Nodes.Select(n => new[]
            {
                n.Name, n.Role, n.State + (n.PendingRestart ? " (restart pending)" : string.Empty), n.LagBytes is { } lag ? Output.Bytes(lag) : "-",
                n.Timeline?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", n.VolumeId, n.PgPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                n.ProcessState + (n.Pid is { } p ? $" pid {p}" : string.Empty) + (n.Adopted ? " (adopted)" : string.Empty),
            }));
    }

    public static void Databases(IReadOnlyList<PostgresDatabaseInfo> all) =>
        Output.Table(["name", "owner", "size", "users"], all.Select(d => new[] { d.Name, d.Owner, Output.Bytes(d.SizeBytes), string.Join(",", d.Users) }));

    public static void Users(IReadOnlyList<PostgresUserInfo> all) =>
        Output.Table(["name", "superuser", "databases"], all.Select(u => new[] { u.Name, u.Superuser ? "yes" : "no", string.Join(",", u.Databases) }));

    public static void Config(PostgresConfigInfo config)
    {
        Output.Table(["parameter", "value"], config.Parameters.Select(p => new[] { p.Key, p.Value }));
        if (config.PendingRestart.Count > 0)
        {
            Output.Line($"Restart pending on {string.Join(", ", config.PendingRestart)}.");
        }

        if (config.NoLeader)
        {
            Output.Line("No node leads right now: this is the configuration stored in etcd, which each node applies when its PostgreSQL starts again.");
        }
    }
}
