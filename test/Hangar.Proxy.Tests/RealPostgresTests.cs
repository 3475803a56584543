using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Hangar.Proxy.Configuration;
using Hangar.Proxy.Tests.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Hangar.Proxy.Tests;

public sealed class RealPostgresTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Npgsql_reaches_the_leader_through_the_proxy_and_loses_it_on_demotion()
    {
        await using var patroni = await FakePatroni.StartAsync(isLeader: true);
        using var loggerFactory = TestOutputLoggerProvider.Factory(output);
        await using var proxy = StartProxy(patroni, loggerFactory, kernelSteering: false);

        var connectionString = $"Host=127.0.0.1;Port={proxy.ListenEndPoint.Port};Username=postgres;Database=postgres;Pooling=false;Timeout=15";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await using (var command = new NpgsqlCommand("SELECT current_setting('port')::int, pg_is_in_recovery()", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(postgres.Port, reader.GetInt32(0));
            Assert.False(reader.GetBoolean(1));
        }

        // A few kilobytes each way, through the extended protocol with parameters.
        await using (var command = new NpgsqlCommand("SELECT repeat($1, 5000)", connection))
        {
            command.Parameters.AddWithValue("x");
            Assert.Equal(new string('x', 5000), await command.ExecuteScalarAsync());
        }

        // Patroni demotes the node: the proxy cuts the session instead of leaving it on a replica.
        patroni.IsLeader = false;
        await Eventually.TrueAsync(() => proxy.Tracker.Current.Leader is null, TimeSpan.FromSeconds(2), "the leader to be dropped");
        await using (var command = new NpgsqlCommand("SELECT 1", connection))
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => command.ExecuteScalarAsync());
        }

        // Back as leader: a new session works again.
        patroni.IsLeader = true;
        await using var again = new NpgsqlConnection(connectionString);
        await again.OpenAsync();
        await using (var command = new NpgsqlCommand("SELECT 42", again))
        {
            Assert.Equal(42, await command.ExecuteScalarAsync());
        }
    }

    /// <summary>Kernel steering: the tests run as root, as the daemon does.</summary>
    [Fact]
    public async Task Steered_connections_go_straight_to_the_leader_end_on_demotion_and_outlive_the_proxy()
    {
        await using var patroni = await FakePatroni.StartAsync(isLeader: true);
        using var loggerFactory = TestOutputLoggerProvider.Factory(output);
        var proxy = StartProxy(patroni, loggerFactory, kernelSteering: true);
        try
        {
            Assert.True(proxy.Steering, "kernel steering needs root; the test suite runs as root");
            var connectionString = $"Host=127.0.0.1;Port={proxy.ListenEndPoint.Port};Username=postgres;Database=postgres;Pooling=false;Timeout=15";

            // Steered, the backend itself holds the cluster-port end of the connection; forwarded, it would be
            // PostgreSQL's own port. The steering loop needs a round to take the leader's socket.
            await Eventually.TrueAsync(async () => await ServerPortAsync(connectionString) == proxy.ListenEndPoint.Port, TimeSpan.FromSeconds(5), "a steered connection");
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            Assert.Equal(proxy.ListenEndPoint.Port, await ScalarAsync<int>(connection, "SELECT inet_server_port()"));
            Assert.Equal(postgres.Port, int.Parse(await ScalarAsync<string>(connection, "SELECT current_setting('port')"), CultureInfo.InvariantCulture));
            await Eventually.TrueAsync(() => proxy.Snapshot().ActiveConnections >= 1, TimeSpan.FromSeconds(3), "the steered connection counted");

            // Patroni demotes the node: the steered session is ended as a forwarded one would be.
            patroni.IsLeader = false;
            await Eventually.TrueAsync(() => proxy.Tracker.Current.Leader is null, TimeSpan.FromSeconds(2), "the leader to be dropped");
            await Eventually.TrueAsync(
                async () =>
                {
                    try
                    {
                        await ScalarAsync<int>(connection, "SELECT 1");
                        return false;
                    }
                    catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                    {
                        return true;
                    }
                },
                TimeSpan.FromSeconds(3),
                "the steered session to be terminated");

            // Back as leader: steered again.
            patroni.IsLeader = true;
            await Eventually.TrueAsync(async () => await ServerPortAsync(connectionString) == proxy.ListenEndPoint.Port, TimeSpan.FromSeconds(5), "steered again");
            await using var survivor = new NpgsqlConnection(connectionString);
            await survivor.OpenAsync();
            Assert.Equal(proxy.ListenEndPoint.Port, await ScalarAsync<int>(survivor, "SELECT inet_server_port()"));

            // The proxy goes (as after kill -9, its link goes with it): the steered session does not depend on it.
            await proxy.DisposeAsync();
            Assert.Equal(42, await ScalarAsync<int>(survivor, "SELECT 42"));
        }
        finally
        {
            await proxy.DisposeAsync();
        }
    }

    private static async Task<int?> ServerPortAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await ScalarAsync<int>(connection, "SELECT inet_server_port()");
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private ProxyHost StartProxy(FakePatroni patroni, Microsoft.Extensions.Logging.ILoggerFactory loggerFactory, bool kernelSteering) =>
        ProxyHost.Start(
            new ProxyConfig
            {
                Cluster = "db",
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Nodes = ImmutableArray.Create(new ProxyNodeConfig("db-1", "127.0.0.1", postgres.Port, patroni.Url)),
                PollInterval = TimeSpan.FromMilliseconds(100),
                KernelSteering = kernelSteering,
            },
            statusPath: null,
            loggerFactory,
            TimeProvider.System);
}
