using System.Globalization;
using System.Text;
using Hangar.Client.Models;
using Hangar.Daemon.Checks;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Postgres.Backups;
using static Hangar.Daemon.Dashboard.DashboardHtml;

namespace Hangar.Daemon.Dashboard;

/// <summary>A Postgres cluster: nodes, checks, charts, backups and the buttons (test restore, failover, restart).</summary>
internal sealed class PostgresPage(
    PostgresService postgres,
    PostgresBackupService backups,
    IEnumerable<ICheckProvider> checks,
    PrometheusQueries prometheus,
    DashboardOperations operations,
    TimeProvider time)
{
    public static readonly TimeSpan BackupsFresh = TimeSpan.FromSeconds(15);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, PostgresBackupList? List)> _backups = new(StringComparer.Ordinal);

    public static IReadOnlyList<ChartSpec> Charts(string cluster, ChartRange range)
    {
        var c = PromQl.Label(cluster);
        return
        [
            new("Connections", $"sum by (node) (pg_stat_activity_count{{cluster=\"{c}\"}})", "node", Number),
            new("Transactions/s", $"sum by (node) (rate(pg_stat_database_xact_commit{{cluster=\"{c}\"}}[{range.RateWindow}]))", "node", Number),
            new("Replication lag", $"max by (node) (pg_replication_lag{{cluster=\"{c}\"}})", "node", Seconds),
            new("Database size", $"sum by (node) (pg_database_size_bytes{{cluster=\"{c}\"}})", "node", v => Bytes(v)),
        ];
    }

    public async Task<string> RenderAsync(string name, ChartRange range, DashboardSessions.Session session, CancellationToken cancellationToken)
    {
        var status = await postgres.StatusAsync(name, cancellationToken);
        var now = time.GetUtcNow();
        var checksTask = DashboardCharts.ChecksAsync(checks, name, time, cancellationToken);
        var backupsTask = status.Cluster.State == "failed" ? Task.FromResult<PostgresBackupList?>(null) : BackupsAsync(name, cancellationToken);
        var connectionsTask = prometheus.InstantAsync($"sum by (node) (pg_stat_activity_count{{cluster=\"{PromQl.Label(name)}\"}})", cancellationToken);
        var chartsTask = DashboardCharts.RenderAsync(prometheus, Charts(name, range), range, now, cancellationToken);
        var scratch = operations.Of(name) is { Running: true, Kind: DashboardOperations.Drill } ? await postgres.FindAsync(name + "-drill", cancellationToken) : null;
        await Task.WhenAll(checksTask, backupsTask, connectionsTask, chartsTask);

        var cluster = status.Cluster;
        var html = new StringBuilder();
        html.Append("<h1>Postgres cluster ").Append(E(cluster.Name)).Append(' ').Append(Badge(cluster.State)).Append("</h1>");
        html.Append("<div class=\"grid\"><section class=\"card\"><dl>")
            .Append("<dt>preset</dt><dd>").Append(E(cluster.Preset)).Append("</dd>")
            .Append("<dt>leader</dt><dd>").Append(E(status.Leader ?? "none")).Append("</dd>")
            .Append("<dt>nodes</dt><dd>").Append(cluster.NodeCount).Append(cluster.Synchronous ? " (synchronous)" : string.Empty).Append("</dd>")
            .Append("<dt>address</dt><dd>").Append(E(cluster.Host)).Append(':').Append(cluster.ProxyPort?.ToString(CultureInfo.InvariantCulture) ?? "—").Append("</dd>")
            .Append("<dt>proxy</dt><dd>").Append(Badge(status.ProxyState)).Append(status.ProxyActiveConnections is { } active ? $" {active} forwarded connections" : string.Empty).Append("</dd>")
            .Append("<dt>apps</dt><dd>").Append(E(cluster.Apps.Count == 0 ? "none" : string.Join(", ", cluster.Apps))).Append("</dd>")
            .Append("<dt>created</dt><dd>").Append(Time(cluster.CreatedAt)).Append("</dd>");
        if (cluster.Error is not null)
        {
            html.Append("<dt>error</dt><dd class=\"error\">").Append(E(cluster.Error)).Append("</dd>");
        }

        html.Append("</dl></section><section class=\"card\"><h3>Actions</h3>").Append(Actions(cluster, backupsTask.Result, session));
        var refresh = Operation(html, name, scratch, now);
        html.Append("</section></div>");

        html.Append("<h2>Nodes</h2><section class=\"card\">");
        if (status.Unreachable is not null)
        {
            html.Append("<p class=\"unavailable\">Patroni not answering: ").Append(E(status.Unreachable)).Append("</p>");
        }

        var connections = connectionsTask.Result.Series?.ToDictionary(s => s.Labels.GetValueOrDefault("node") ?? string.Empty, s => s.Points.Count > 0 ? s.Points[^1].Value : (double?)null, StringComparer.Ordinal);
        html.Append("<table><thead><tr><th>node</th><th>role</th><th>state</th><th>lag</th><th>connections</th><th>process</th><th>restarts</th><th>PG port</th></tr></thead><tbody>");
        foreach (var node in status.Nodes)
        {
            var nodeConnections = connections is null ? "metrics unavailable" : connections.GetValueOrDefault(node.Name) is { } n ? Number(n) : "—";
            html.Append("<tr><td>").Append(E(node.Name)).Append("</td><td>").Append(Badge(node.Role)).Append("</td><td>").Append(Badge(node.State))
                .Append("</td><td>").Append(node.LagBytes is { } lag ? Bytes(lag) : "—").Append("</td><td>").Append(E(nodeConnections))
                .Append("</td><td>").Append(Badge(node.ProcessState)).Append("</td><td>").Append(node.Restarts).Append("</td><td>").Append(node.PgPort).Append("</td></tr>");
        }

        html.Append("</tbody></table><h3 style=\"margin-top:10px\">Checks</h3>").Append(DashboardCharts.ChecksTable(checksTask.Result)).Append("</section>");
        html.Append("<h2>Metrics</h2>").Append(RangeTabs(DashboardPaths.Postgres(name), range)).Append(chartsTask.Result);
        html.Append("<h2>Backups</h2>").Append(Backups(backupsTask.Result));
        return Page("Postgres " + name, session, html.ToString(), refresh);
    }

    /// <summary>
    /// The backup list runs `pgbackrest info` against the repository and asks the leader how far WAL is archived — most
    /// of a page's cost — while it changes on a scale of minutes; so a page reuses one younger than
    /// <see cref="BackupsFresh"/>, unless an operation of the cluster (a drill) finished since.
    /// </summary>
    private async Task<PostgresBackupList?> BackupsAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_backups.TryGetValue(name, out var cached) && now - cached.At < BackupsFresh && !(operations.Of(name)?.FinishedAt >= cached.At))
        {
            return cached.List;
        }

        PostgresBackupList? list;
        try
        {
            list = await backups.ListAsync(name, deletedOnly: false, cancellationToken);
        }
        catch (Core.Errors.HangarException)
        {
            // A cluster being created or destroyed has no backup view yet; the section says so.
            list = null;
        }

        _backups[name] = (now, list);
        return list;
    }

    private static string Actions(PostgresClusterInfo cluster, PostgresBackupList? backups, DashboardSessions.Session session)
    {
        var path = DashboardPaths.Postgres(cluster.Name);
        var html = new StringBuilder("<div class=\"actions\">");
        if (backups is { Enabled: true })
        {
            html.Append(PostButton(session, path + "/drill", "Test restore", "primary"));
        }

        if (cluster.NodeCount > 1)
        {
            html.Append(PostButton(session, path + "/failover", "Failover", string.Empty));
        }

        html.Append(PostButton(session, path + "/restart", "Restart", string.Empty)).Append("</div>");
        if (backups is not { Enabled: true })
        {
            html.Append("<p class=\"note\">Test restore needs backups: <code>hangar postgres backup enable -a ").Append(E(cluster.Name)).Append("</code></p>");
        }

        return html.ToString();
    }

    /// <summary>The running or last operation; while one runs the page refreshes itself every 2 s.</summary>
    private string? Operation(StringBuilder html, string name, Core.Resources.PostgresRecord? scratch, DateTimeOffset now)
    {
        if (operations.Of(name) is not { } op)
        {
            return null;
        }

        var label = op.Kind switch { DashboardOperations.Drill => "Test restore", DashboardOperations.Failover => "Failover", _ => "Restart" };
        html.Append("<div class=\"operation\" data-kind=\"").Append(op.Kind).Append("\" data-state=\"")
            .Append(op.Running ? "running" : op.Passed == true ? "passed" : "failed").Append("\"><p>");
        if (op.Running)
        {
            var progress = scratch is null ? string.Empty : $": scratch cluster {scratch.Name} {scratch.Phase.ToString().ToLowerInvariant()}{(scratch.Step is { } step ? "/" + step : string.Empty)}";
            html.Append(Badge("running")).Append(' ').Append(E(label)).Append(" running for ").Append(Seconds((now - op.StartedAt).TotalSeconds)).Append(E(progress)).Append("</p></div>");
            return "2";
        }

        html.Append(Badge(op.Passed == true ? "passed" : "failed")).Append(' ').Append(E(label)).Append(' ').Append(op.Passed == true ? "passed" : "failed")
            .Append(" at ").Append(Time(op.FinishedAt)).Append("</p><p class=\"note\">").Append(E(op.Detail)).Append("</p></div>");
        return null;
    }

    private static string Backups(PostgresBackupList? list)
    {
        if (list is null)
        {
            return "<section class=\"card\"><p class=\"muted\">backup state not available for this cluster right now</p></section>";
        }

        if (!list.Enabled)
        {
            return "<section class=\"card\"><p class=\"muted\">backups are off</p></section>";
        }

        var html = new StringBuilder("<div class=\"grid\"><section class=\"card\"><dl>");
        html.Append("<dt>restorable from</dt><dd>").Append(Time(list.EarliestRestorableTime)).Append("</dd>")
            .Append("<dt>restorable to</dt><dd>").Append(Time(list.LatestRestorableTime)).Append("</dd>")
            .Append("<dt>retention</dt><dd>").Append(list.RetentionDays).Append(" days</dd>")
            .Append("<dt>last full</dt><dd>").Append(Time(list.LastFullAt)).Append("</dd>")
            .Append("<dt>archive</dt><dd>").Append(list.ArchiveFailingSince is { } since ? Badge("failing") + " since " + Time(since) + ": " + E(list.ArchiveFailure) : Badge("ok")).Append("</dd>");
        if (list.Offsite is not null)
        {
            html.Append("<dt>off-site</dt><dd>").Append(E(list.Offsite)).Append("</dd>");
        }

        html.Append("</dl></section><section class=\"card\"><h3>Last restore drill</h3>");
        if (list.LastDrill is { } drill)
        {
            html.Append("<p class=\"drill\">").Append(Badge(drill.Passed ? "passed" : "failed")).Append(' ').Append(Time(drill.At)).Append(", restored in ")
                .Append(Seconds(drill.RestoreSeconds)).Append("</p><p class=\"note\">").Append(E(drill.Detail)).Append("</p>");
        }
        else
        {
            html.Append("<p class=\"muted\">none yet</p>");
        }

        html.Append("<p class=\"note\">next scheduled: ").Append(Time(list.NextDrillAt)).Append("</p></section></div>");
        html.Append("<section class=\"card\" style=\"margin-top:12px\"><table><thead><tr><th>backup</th><th>type</th><th>started</th><th>duration</th><th>size</th><th>stored</th><th>repository</th></tr></thead><tbody>");
        foreach (var b in list.Backups.Reverse().Take(20))
        {
            html.Append("<tr><td>").Append(E(b.Id)).Append("</td><td>").Append(E(b.Type)).Append("</td><td>").Append(Time(b.Start)).Append("</td><td>")
                .Append(Seconds(b.DurationSeconds)).Append("</td><td>").Append(Bytes(b.Size)).Append("</td><td>").Append(Bytes(b.StoredSize))
                .Append("</td><td>").Append(E(b.Repository)).Append("</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }
}
