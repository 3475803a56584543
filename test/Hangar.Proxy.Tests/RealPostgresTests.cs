using System.Collections.Immutable;
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
        await using var proxy = ProxyHost.Start(
            new ProxyConfig
            {
                Cluster = "db",
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Nodes = ImmutableArray.Create(new ProxyNodeConfig("db-1", "127.0.0.1", postgres.Port, patroni.Url)),
                PollInterval = TimeSpan.FromMilliseconds(100),
            },
            statusPath: null,
            loggerFactory,
            TimeProvider.System);

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
}
