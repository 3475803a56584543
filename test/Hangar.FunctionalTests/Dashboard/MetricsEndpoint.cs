using System.Globalization;
using System.Net;
using System.Text;

namespace Hangar.FunctionalTests.Dashboard;

/// <summary>
/// A small HTTP endpoint serving postgres_exporter and redis_exporter lines (their metric names and labels) for the
/// resources a test made, with values that move, so the real Prometheus that scrapes it has series to chart. It stands
/// in for the exporters only; the dashboard reads Prometheus's real HTTP API.
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly Task _loop;

    public MetricsEndpoint(int port, string cluster, string node, string redis)
    {
        Port = port;
        Cluster = cluster;
        Node = node;
        Redis = redis;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Cluster { get; }

    public string Node { get; }

    public string Redis { get; }

    public int Scrapes { get; private set; }

    public string Text()
    {
        var t = (DateTime.UtcNow - _started).TotalSeconds;
        var pg = $"cluster=\"{Cluster}\",node=\"{Node}\",role=\"primary\"";
        var lines = new StringBuilder();
        void Add(string line) => lines.Append(CultureInfo.InvariantCulture, $"{line}\n");
        Add("# TYPE pg_up gauge");
        Add($"pg_up{{{pg}}} 1");
        Add("# TYPE pg_stat_activity_count gauge");
        Add($"pg_stat_activity_count{{{pg},datname=\"postgres\",state=\"active\"}} {3 + ((int)t % 4)}");
        Add($"pg_stat_activity_count{{{pg},datname=\"postgres\",state=\"idle\"}} 2");
        Add("# TYPE pg_stat_database_xact_commit counter");
        Add($"pg_stat_database_xact_commit{{{pg},datname=\"postgres\"}} {(long)(t * 25)}");
        Add("# TYPE pg_replication_lag gauge");
        Add($"pg_replication_lag{{{pg}}} 0");
        Add("# TYPE pg_database_size_bytes gauge");
        Add($"pg_database_size_bytes{{{pg},datname=\"postgres\"}} {7_500_000 + ((long)t * 8192)}");
        Add("# TYPE redis_up gauge");
        Add($"redis_up{{instance=\"{Redis}\"}} 1");
        Add("# TYPE redis_memory_used_bytes gauge");
        Add($"redis_memory_used_bytes{{instance=\"{Redis}\"}} {1_000_000 + ((long)t * 1000)}");
        Add($"redis_memory_max_bytes{{instance=\"{Redis}\"}} 268435456");
        Add("# TYPE redis_commands_processed_total counter");
        Add($"redis_commands_processed_total{{instance=\"{Redis}\"}} {(long)(t * 40)}");
        Add($"redis_keyspace_hits_total{{instance=\"{Redis}\"}} {(long)(t * 30)}");
        Add($"redis_keyspace_misses_total{{instance=\"{Redis}\"}} {(long)(t * 10)}");
        Add($"redis_connected_clients{{instance=\"{Redis}\"}} 4");
        Add("# TYPE hangar_s3_requests_total counter");
        Add($"hangar_s3_requests_total{{operation=\"GetObject\",status=\"200\"}} {(long)(t * 5)}");
        return lines.ToString();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Scrapes++;
            var body = Encoding.UTF8.GetBytes(Text());
            context.Response.ContentType = "text/plain; version=0.0.4";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
