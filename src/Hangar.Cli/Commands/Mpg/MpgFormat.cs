using System.Globalization;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Mpg;

internal static class MpgFormat
{
    /// <summary>What a user of the pooled URL must know about prepared statements (PgBouncer 1.18, transaction pooling).</summary>
    public static readonly string[] PreparedStatements =
    [
        "DATABASE_URL goes through PgBouncer in transaction mode, which does not keep prepared statements across",
        "transactions. Turn named prepared statements off in your driver:",
        "  Npgsql: Max Auto Prepare=0 (the default) and no NpgsqlCommand.Prepare(); No Reset On Close=true",
        "  node-postgres: no `name` on queries (unnamed statements are fine)",
        "  psycopg 3: prepare_threshold=None",
        "  pgx: default_query_exec_mode=exec (or simple_protocol)",
        "  Prisma: ?pgbouncer=true on the URL",
        "  Rails: prepared_statements: false in database.yml",
        "Migrations, advisory locks and LISTEN/NOTIFY: use DIRECT_DATABASE_URL.",
    ];

    public static void Created(MpgCreated created)
    {
        var c = created.Cluster;
        Output.Line($"Managed Postgres cluster {c.Name} created ({c.Plan} plan, {c.Nodes} node{(c.Nodes == 1 ? string.Empty : "s")}, {c.VolumeSizeGb} GB, max_connections {c.MaxConnections})");
        Output.Line($"  Username:        {created.Username}");
        Output.Line($"  Password:        {created.Password}");
        Output.Line($"  Pooled URL:      {created.PooledUrl}");
        Output.Line($"  Direct URL:      {created.DirectUrl}");
        Output.Line($"  Pool:            PgBouncer on {c.Host}:{c.PoolPort}, {c.PoolMode} pooling, {c.PoolSize} server connections per database and user");
        Output.Line("Save your credentials in a secure place -- you won't be able to see them again!");
        Output.Line(string.Empty);
        foreach (var line in PreparedStatements)
        {
            Output.Line(line);
        }

        Output.Line(string.Empty);
        Output.Line($"Attach it to an app with `hangar mpg attach {c.Name} --app APP`.");
    }

    public static void Table(IReadOnlyList<MpgInfo> all) =>
        Output.Table(["name", "state", "plan", "nodes", "region", "pool", "cluster port", "apps", "created"],
            all.Select(c => new[]
            {
                c.Name, c.Phase, c.Plan, c.Nodes.ToString(CultureInfo.InvariantCulture), c.Region,
                c.PoolPort is { } pool ? $"{c.Host}:{pool}" : "-", c.ClusterPort is { } port ? $"{c.Host}:{port}" : "-",
                c.Apps.Count == 0 ? "-" : string.Join(",", c.Apps), Output.Ago(c.CreatedAt),
            }));

    public static void Status(MpgStatusInfo s)
    {
        var c = s.Cluster;
        Output.Fields(
            ("Plan", c.Plan),
            ("Pool", c.PoolPort is { } port
                ? $"{c.Host}:{port} (pgbouncer {s.PoolState}{(s.PoolPid is { } pid ? $", pid {pid}" : string.Empty)}{(s.PoolRestarts > 0 ? $", {s.PoolRestarts} restarts" : string.Empty)})"
                : "-"),
            ("Pooling", $"{c.PoolMode}, pool size {c.PoolSize}, max_connections {c.MaxConnections}, up to {c.MaxClientConnections} clients"),
            ("Clients", s.ClientsActive is null ? "-" : $"{s.ClientsActive} active, {s.ClientsWaiting} waiting"),
            ("Servers", s.PoolUnreachable is { } why ? "console not answering: " + why
                : s.Servers.Count == 0 ? "none open" : string.Join(", ", s.Servers.GroupBy(x => x.Node ?? "unknown node").Select(g => $"{g.Count()} on {g.Key}"))));
        PostgresFormat.Status(s.Postgres);
    }

    public static void Config(MpgConfigInfo config)
    {
        PostgresFormat.Config(config.Postgres);
        Output.Line(string.Empty);
        Output.Fields(
            ("Pool mode", config.PoolMode),
            ("Pool size", $"{config.PoolSize} (at most {config.MaxPoolSize})"),
            ("Max clients", config.MaxClientConnections.ToString(CultureInfo.InvariantCulture)));
    }
}
