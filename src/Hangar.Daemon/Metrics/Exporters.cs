using System.Globalization;
using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Redis;
using Hangar.Supervision;

namespace Hangar.Daemon.Metrics;

/// <summary>
/// Debian's postgres_exporter (one per Postgres node) and redis_exporter (one per Redis instance), each a supervised
/// process listening on the advertise address at a port from the port allocator. They hold no state, so a stopped
/// node's exporter keeps answering and reports <c>pg_up 0</c> / <c>redis_up 0</c> rather than going stale.
/// </summary>
internal sealed class Exporters(PostgresRuntime postgres, RedisRuntime redis, DaemonOptions options, DataDirectory data)
{
    public const string PostgresExporterPath = "/usr/bin/prometheus-postgres-exporter";
    public const string RedisExporterPath = "/usr/bin/prometheus-redis-exporter";
    public const string PostgresProcessPrefix = "pgexporter-";
    public const string RedisProcessPrefix = "redisexporter-";

    public static string PostgresProcess(PostgresNodeRecord node) => PostgresProcessPrefix + node.Name;

    public static string RedisProcess(string name) => RedisProcessPrefix + name;

    public static string PostgresPortOwner(string cluster, int ordinal) => "metrics:" + PostgresKeys.NodeOwner(cluster, ordinal);

    public static string RedisPortOwner(string name) => "metrics:" + RedisKeys.Owner(name);

    public string QueriesFile => Path.Combine(data.Root, "metrics", "postgres-exporter-queries.yaml");

    /// <summary>Writes the custom queries file (embedded in the daemon) when it differs.</summary>
    public void WriteQueries()
    {
        using var stream = typeof(Exporters).Assembly.GetManifestResourceStream("Hangar.Daemon.Metrics.postgres-exporter-queries.yaml")
            ?? throw new InvalidOperationException("the postgres_exporter queries are not embedded in the daemon");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        Directory.CreateDirectory(Path.GetDirectoryName(QueriesFile)!);
        if (!File.Exists(QueriesFile) || File.ReadAllText(QueriesFile) != text)
        {
            File.WriteAllText(QueriesFile + ".tmp", text);
            File.Move(QueriesFile + ".tmp", QueriesFile, overwrite: true);
        }
    }

    public ProcessSpec PostgresSpec(PostgresRecord cluster, PostgresNodeRecord node, int port)
    {
        var credentials = postgres.Credentials(cluster);
        var listen = Listen(port);
        return new ProcessSpec
        {
            Name = PostgresProcess(node),
            FileName = PostgresExporterPath,
            Arguments = ["--web.listen-address=" + listen, "--no-collector.bgwriter", "--extend.query-path=" + QueriesFile, "--log.level=warn"],

            // The password reaches it only through its environment, never its command line.
            Environment = new Dictionary<string, string>
            {
                ["DATA_SOURCE_URI"] = string.Create(CultureInfo.InvariantCulture, $"{HostForUri(options.AdvertiseAddress)}:{node.PgPort}/postgres?sslmode=disable&connect_timeout=3"),
                ["DATA_SOURCE_USER"] = Hangar.Postgres.Config.PatroniCredentials.SuperuserName,
                ["DATA_SOURCE_PASS"] = credentials.SuperuserPassword,
            },
            IdentityMarker = "--web.listen-address=" + listen,
            Readiness = ct => AnswersAsync(listen, ct),
        };
    }

    public ProcessSpec RedisSpec(RedisRecord instance, int port)
    {
        var listen = Listen(port);
        var password = redis.AdminPassword(instance);
        return new ProcessSpec
        {
            Name = RedisProcess(instance.Name),
            FileName = RedisExporterPath,
            Arguments = ["-web.listen-address", listen, "-redis.addr", string.Create(CultureInfo.InvariantCulture, $"redis://{HostForUri(options.AdvertiseAddress)}:{instance.Port}")],
            Environment = new Dictionary<string, string>
            {
                ["REDIS_USER"] = Hangar.Redis.Config.RedisAcl.AdminUser,
                ["REDIS_PASSWORD"] = password,
            },
            IdentityMarker = listen,
            Readiness = ct => AnswersAsync(listen, ct),
        };
    }

    public string Listen(int port) => string.Create(CultureInfo.InvariantCulture, $"{HostForUri(options.AdvertiseAddress)}:{port}");

    private static string HostForUri(string address) => address.Contains(':', StringComparison.Ordinal) ? "[" + address + "]" : address;

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private static async Task<bool> AnswersAsync(string listen, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri("http://" + listen + "/"), cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
