using System.Diagnostics;
using System.Globalization;
using Hangar.Postgres.Config;
using Hangar.Postgres.Nodes;
using Hangar.Postgres.Rest;
using Npgsql;

namespace Hangar.Postgres.Tests.Infrastructure;

/// <summary>
/// A real 3-node Patroni cluster (synchronous_mode, the production preset) on a real etcd, shared by the
/// tests of the "pg cluster" collection. Every test starts by waiting for <see cref="WaitHealthyAsync"/> and
/// leaves the cluster healthy, so their order does not matter.
/// </summary>
public sealed class PgClusterFixture : IAsyncLifetime
{
    public const string ClusterName = "testpg";
    private const int NodeCount = 3;

    private readonly List<TestNode> _nodes = [];
    private EtcdServer? _etcd;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "hangar-pg-" + Guid.NewGuid().ToString("N")[..8]);

    public PatroniCredentials Credentials { get; } = PatroniCredentials.Generate();

    public ClusterCertificate Certificate { get; } = ClusterCertificate.Create(ClusterName, ["127.0.0.1"], Authority, TimeProvider.System);

    /// <summary>One per test run, like a daemon's: only its certificate matters once the cluster's is issued.</summary>
    private static Hangar.Core.Tls.CertificateAuthority Authority { get; } = Hangar.Core.Tls.CertificateAuthority.Create("test", TimeProvider.System);

    /// <summary>The CA that issued the cluster certificate, as a PEM file clients verify against.</summary>
    public string AuthorityCertificateFile => Path.Combine(Root, "ca.crt");

    public PatroniTiming Timing { get; } = TimingFromEnvironment();

    /// <summary>From starting Patroni to one leader and two streaming replicas, one of them sync_standby.</summary>
    public TimeSpan BootstrapTime { get; private set; }

    internal IReadOnlyList<TestNode> Nodes => _nodes;

    internal Uri EtcdUrl => new($"http://{_etcd!.Endpoint}/");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        await File.WriteAllTextAsync(AuthorityCertificateFile, Authority.CertificatePem);
        // PostgreSQL runs as postgres and must be able to reach its node directory below this one.
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        _etcd = await EtcdServer.StartAsync(Path.Combine(Root, "etcd"), CancellationToken.None);
        var ports = FreePorts.Take(NodeCount * 2);
        for (var i = 0; i < NodeCount; i++)
        {
            var options = new PatroniNodeOptions
            {
                ClusterName = ClusterName,
                NodeName = $"node{i + 1}",
                EtcdHosts = [_etcd.Endpoint],
                PostgresPort = ports[2 * i],
                RestApiPort = ports[(2 * i) + 1],
                Paths = PatroniNodePaths.Under(Path.Combine(Root, $"node{i + 1}")),
                Credentials = Credentials,
                SynchronousMode = true,
                Timing = Timing,
                Parameters = new Dictionary<string, string>
                {
                    // Small and quick: three nodes share two cores with other work.
                    ["shared_buffers"] = "32MB",
                    ["max_connections"] = "50",
                },
            };
            var launch = await NodeDirectory.PrepareAsync(options, Certificate, "postgres", CancellationToken.None);
            _nodes.Add(new TestNode(options, launch, Path.Combine(Root, $"node{i + 1}.log")));
        }

        var stopwatch = Stopwatch.StartNew();
        foreach (var node in _nodes)
        {
            node.Start();
        }

        await WaitHealthyAsync(TimeSpan.FromSeconds(120));
        BootstrapTime = stopwatch.Elapsed;
        Console.WriteLine($"[pg] timing ttl={Timing.Ttl} loop_wait={Timing.LoopWait} retry_timeout={Timing.RetryTimeout}; 3-node bootstrap took {BootstrapTime.TotalSeconds:0.0}s");
    }

    internal TestNode Node(string name) => _nodes.Single(n => n.Name == name);

    /// <summary>The current leader according to any reachable node.</summary>
    internal async Task<TestNode> LeaderAsync()
    {
        var cluster = await ClusterAsync();
        var leader = cluster.Leader ?? throw new InvalidOperationException("no leader");
        return Node(leader.Name);
    }

    internal async Task<PatroniCluster> ClusterAsync(TestNode? except = null)
    {
        Exception? last = null;
        foreach (var node in _nodes.Where(n => n != except))
        {
            try
            {
                return await node.Patroni.GetClusterAsync(CancellationToken.None);
            }
            catch (HttpRequestException e)
            {
                last = e;
            }
            catch (TaskCanceledException e)
            {
                last = e;
            }
        }

        throw new InvalidOperationException("no Patroni answered /cluster", last);
    }

    /// <summary>One leader, every other node a running replica with zero lag on the leader's timeline, and (sync mode) one sync_standby.</summary>
    internal Task<TimeSpan> WaitHealthyAsync(TimeSpan timeout) =>
        Poll.UntilAsync("a healthy 3-node cluster", timeout, async () =>
        {
            var cluster = await ClusterAsync();
            var state = string.Join(", ", cluster.Members.Select(m => $"{m.Name}:{m.Role}/{m.State}/tl{m.Timeline}/lag{m.LagBytes?.ToString(CultureInfo.InvariantCulture) ?? "-"}"));
            var leader = cluster.Leader;
            var healthy = cluster.Members.Count == NodeCount
                && leader is { IsRunning: true }
                && cluster.Replicas.All(r => r.IsRunning && r.LagBytes == 0 && r.Timeline == leader.Timeline)
                && cluster.Members.Count(m => m.Role == PatroniRoles.SyncStandby) == 1;
            if (healthy)
            {
                // Patroni reports "running" before the walreceiver connects; the leader's pg_stat_replication is authoritative.
                await using var connection = new NpgsqlConnection(Node(leader!.Name).AdminConnectionString());
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", connection);
                var streaming = (long)(await command.ExecuteScalarAsync())!;
                healthy = streaming == NodeCount - 1;
                state += $"; streaming={streaming}";
            }

            return (healthy, state);
        });

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }

        if (Environment.GetEnvironmentVariable("HANGAR_KEEP_TEST_DIRS") is null)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A postgres backend may still be exiting; the directory is in /tmp.
            }
        }
    }

    /// <summary>HANGAR_PG_TIMING=ttl,loop_wait,retry_timeout overrides the default for failover measurements.</summary>
    private static PatroniTiming TimingFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("HANGAR_PG_TIMING");
        if (string.IsNullOrEmpty(value))
        {
            return PatroniTiming.Fast;
        }

        var parts = value.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new PatroniTiming(parts[0], parts[1], parts[2]);
    }
}
