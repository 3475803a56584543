using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.S3.Model;
using Hangar.Client;
using Hangar.FunctionalTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Metrics;

/// <summary>
/// The daemon with its embedded Prometheus (Debian's) scraping, through the daemon's service discovery, a
/// one-node cluster's postgres_exporter, a Redis instance's redis_exporter, the S3 server and the daemon itself;
/// the test asks Prometheus's HTTP API, as a dashboard or alert rule would, and sees the values move.
/// </summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Embedded_Prometheus_scrapes_every_exporter_and_the_values_move()
    {
        var prometheusPort = FreePorts.Next();
        await using var hangar = new HangarDaemon("--prometheus-listen", $"127.0.0.1:{prometheusPort}", "--prometheus-scrape-interval", "3s");
        await hangar.StartAsync();
        var config = ClientConfig.Read(Path.Combine(hangar.DataDir, ClientConfig.FileName));
        var metricsToken = File.ReadAllText(Path.Combine(hangar.DataDir, "metrics.token")).Trim();
        var prometheus = new Uri($"http://127.0.0.1:{prometheusPort}/");
        Assert.Contains($"Prometheus: http://127.0.0.1:{prometheusPort}", (await hangar.RunAsync("status")).ShouldSucceed().Stdout, StringComparison.Ordinal);

        // Every scrape route refuses a request without a token or with a wrong one, and takes the metrics token.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var url in new[] { config.ApiUrl.TrimEnd('/') + "/metrics", config.ApiUrl.TrimEnd('/') + "/v1/metrics/targets", hangar.S3Url + "/_hangar/metrics" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, url, "hgm_wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, url, metricsToken)).StatusCode);
        }

        var daemonMetrics = await (await SendAsync(http, config.ApiUrl.TrimEnd('/') + "/metrics", metricsToken)).Content.ReadAsStringAsync();
        Assert.Contains("# TYPE hangar_reconcile_passes_total counter", daemonMetrics, StringComparison.Ordinal);

        var created = await hangar.JsonAsync("postgres", "create", "--name", "mx");
        (await hangar.RunAsync("redis", "create", "--name", "rx")).ShouldSucceed();
        (await hangar.RunAsync("apps", "create", "mxapp")).ShouldSucceed();
        (await hangar.RunAsync("storage", "create", "--name", "mx-bucket", "-a", "mxapp")).ShouldSucceed();

        // One scrape point: the discovery lists each exporter with the resource's labels.
        var targets = await Poll.UntilAsync(
            () => hangar.JsonAsync("metrics", "targets"),
            t => t.EnumerateArray().Select(g => g.GetProperty("labels").GetProperty("job").GetString()).ToHashSet().IsSupersetOf(["postgres", "redis", "hangar-proxy"]),
            Deadline,
            "exporters listed in service discovery");
        var postgresTarget = targets.EnumerateArray().Single(t => t.GetProperty("labels").GetProperty("job").GetString() == "postgres");
        Assert.Equal("mx", postgresTarget.GetProperty("labels").GetProperty("cluster").GetString());
        Assert.Equal("mx-1", postgresTarget.GetProperty("labels").GetProperty("node").GetString());
        Assert.Contains(targets.EnumerateArray(), t => t.GetProperty("labels").GetProperty("job").GetString() == "redis"
            && t.GetProperty("labels").GetProperty("instance").GetString() == "rx");

        await QueryUntilAsync(http, prometheus, "up{job=\"hangar-proxy\",cluster=\"mx\"}", v => v == 1, "the cluster's proxy scraped");
        var env = await Storage.AppEnvironment.ReadAsync(hangar, "mxapp");
        using (var s3 = env.S3Client())
        {
            for (var i = 0; i < 3; i++)
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "mx-bucket", Key = $"k{i}", ContentBody = new string('x', 1000) });
            }
        }

        await QueryUntilAsync(http, prometheus, "sum(hangar_s3_requests_total{job=\"hangar-s3\",operation=\"PutObject\",status=\"200\"})", v => v >= 3, "S3 PUTs counted");
        await QueryUntilAsync(http, prometheus, "redis_memory_used_bytes{instance=\"rx\"}", v => v > 0, "redis_memory_used_bytes");
        await QueryUntilAsync(http, prometheus, "redis_up{instance=\"rx\"}", v => v == 1, "redis_up");
        await QueryUntilAsync(http, prometheus, "pg_replication_lag{cluster=\"mx\",node=\"mx-1\",role=\"primary\"}", v => v == 0, "pg_replication_lag of the primary");

        // Connections opened: pg_stat_activity_count rises by at least as many.
        var connectionString = created.GetProperty("connectionString").GetString()!;
        // The lowest count of the last 30 s: the daemon's own checks open short-lived connections now and then.
        var before = await QueryUntilAsync(http, prometheus, "min_over_time(sum(pg_stat_activity_count{cluster=\"mx\",datname=\"postgres\"})[30s:3s])", _ => true, "pg_stat_activity_count");
        var open = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Postgres.Pg.Npgsql(connectionString)) { Database = "postgres", Timeout = 30, CommandTimeout = 60 }.ConnectionString);
                await connection.OpenAsync();
                open.Add(connection);
            }

            await QueryUntilAsync(http, prometheus, "sum(pg_stat_activity_count{cluster=\"mx\",datname=\"postgres\"})", v => v >= before + 5, "5 more connections counted");

            // Writes: pg_database_size_bytes grows.
            var size = await QueryUntilAsync(http, prometheus, "pg_database_size_bytes{cluster=\"mx\",datname=\"postgres\"}", v => v > 0, "pg_database_size_bytes");
            await using (var write = new NpgsqlCommand("CREATE TABLE filler AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 20000) g", open[0]))
            {
                await write.ExecuteNonQueryAsync();
            }

            await QueryUntilAsync(http, prometheus, "pg_database_size_bytes{cluster=\"mx\",datname=\"postgres\"}", v => v > size + 5_000_000, "database size grew by the table");

            // A stopped node scrapes as pg_up 0, not stale values: Patroni held stopped so it cannot restart the
            // postmaster, which is killed (its pid is a backend's parent).
            await using var pidQuery = new NpgsqlCommand("SELECT pg_backend_pid()", open[0]);
            var backend = Convert.ToInt32(await pidQuery.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            var postmaster = int.Parse(File.ReadAllText($"/proc/{backend}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            var patroni = hangar.ChildPid("pg-mx-1") ?? throw new InvalidOperationException("no pid file for pg-mx-1");
            HangarDaemon.Signal(patroni, "STOP");
            try
            {
                HangarDaemon.Signal(postmaster, "KILL");

                // postgres_exporter takes about a second to report a refused database (hence a 3 s interval, whose
                // timeout is 3 s). The node's role label changes too (the proxy no longer sees a leader), so the node's newest series
                // is the one with the lowest value: min over its series.
                try
                {
                    await QueryUntilAsync(http, prometheus, "min(pg_up{cluster=\"mx\",node=\"mx-1\"})", v => v == 0, "pg_up 0 for the stopped node");
                }
                catch (TimeoutException ex)
                {
                    var seen = await http.GetStringAsync(new Uri(prometheus, "api/v1/query?query=" + Uri.EscapeDataString("{__name__=~\"pg_up|up\",cluster=\"mx\"}")));
                    throw new TimeoutException(ex.Message + "; series: " + seen, ex);
                }
            }
            finally
            {
                HangarDaemon.Signal(patroni, "CONT");
            }
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("--prometheus-url", "notaurl", "invalid --prometheus-url 'notaurl'")]
    [InlineData("--prometheus-retention", "15x", "invalid --prometheus-retention '15x'")]
    [InlineData("--prometheus-scrape-interval", "0s", "invalid --prometheus-scrape-interval '0s'")]
    public async Task Bad_Prometheus_flags_fail_with_one_line_before_anything_starts(string flag, string value, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("hangar-ft-metrics-").FullName;
        try
        {
            var result = await HangarDaemon.RunWithEnvironmentAsync(null, new Dictionary<string, string?>(), "up", "--data-dir", Path.Combine(dir, "data"), flag, value);
            result.ShouldFailWith(expected);
            Assert.False(Directory.Exists(Path.Combine(dir, "data")), "nothing is created for a rejected flag");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    /// <summary>Polls an instant query until it returns one sample that satisfies <paramref name="done"/>; returns the value.</summary>
    private static Task<double> QueryUntilAsync(HttpClient http, Uri prometheus, string query, Func<double, bool> done, string what) =>
        Poll.UntilAsync(
            async () =>
            {
                var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(prometheus, "api/v1/query?query=" + Uri.EscapeDataString(query))));
                var result = json.RootElement.GetProperty("data").GetProperty("result");
                return result.GetArrayLength() == 1
                    ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
                    : double.NaN;
            },
            v => !double.IsNaN(v) && done(v),
            Deadline,
            what);
}
