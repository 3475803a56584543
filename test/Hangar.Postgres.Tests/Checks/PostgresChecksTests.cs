using Hangar.Postgres.Checks;
using Hangar.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Hangar.Postgres.Tests.Checks;

[Collection(PgClusterCollection.Name)]
public sealed class PostgresChecksTests(PgClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Checks_pass_on_the_leader_and_on_replicas_with_fly_style_output()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var cluster = await fixture.ClusterAsync();
        foreach (var node in fixture.Nodes)
        {
            var member = cluster.Members.Single(m => m.Name == node.Name);
            var checks = await ChecksFor(node).RunAsync(CancellationToken.None);
            foreach (var check in checks)
            {
                output.WriteLine($"{node.Name} {check.Name} {check.Status}\n{check.Output}");
            }

            Assert.Equal(["vm", "pg", "role"], checks.Select(c => c.Name));
            var pg = checks.Single(c => c.Name == "pg");
            Assert.Equal(CheckStatus.Passing, pg.Status);
            Assert.Contains("connections: ", pg.Output, StringComparison.Ordinal);
            Assert.Contains("50 max", pg.Output, StringComparison.Ordinal);
            var role = checks.Single(c => c.Name == "role");
            Assert.Equal(CheckStatus.Passing, role.Status);
            var vm = checks.Single(c => c.Name == "vm");
            Assert.Contains("free space on " + node.Options.Paths.DataDirectory, vm.Output, StringComparison.Ordinal);
            if (member.IsLeader)
            {
                Assert.Equal("[✓] leader", role.Output);
                Assert.Contains("[✓] replication: currently leader", pg.Output, StringComparison.Ordinal);
                Assert.Contains("[✓] write probe: committed", pg.Output, StringComparison.Ordinal);
            }
            else
            {
                Assert.StartsWith("[✓] replica", role.Output, StringComparison.Ordinal);
                var leader = cluster.Leader!;
                Assert.Contains($"[✓] leader check: {leader.Host}:{leader.Port} connected", pg.Output, StringComparison.Ordinal);
                Assert.Contains("[✓] replication lag: ", pg.Output, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Pg_check_is_critical_when_postgres_cannot_be_reached_and_role_when_the_node_is_unknown()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var node = fixture.Nodes[0];
        var closedPort = FreePorts.Take(1)[0];
        var checks = new PostgresChecks(
            "node-that-is-not-there",
            node.Patroni,
            $"Host=127.0.0.1;Port={closedPort};Username=hangar_admin;Password=x;Database=postgres",
            node.Options.Paths.DataDirectory,
            TimeProvider.System,
            NullLogger<PostgresChecks>.Instance);
        var results = await checks.RunAsync(CancellationToken.None);
        var pg = results.Single(c => c.Name == "pg");
        Assert.Equal(CheckStatus.Critical, pg.Status);
        Assert.StartsWith("[✗] connect: ", pg.Output, StringComparison.Ordinal);
        var role = results.Single(c => c.Name == "role");
        Assert.Equal(CheckStatus.Critical, role.Status);
        Assert.Contains("not a member", role.Output, StringComparison.Ordinal);
    }

    private static PostgresChecks ChecksFor(TestNode node) =>
        new(node.Name, node.Patroni, node.AdminConnectionString(), node.Options.Paths.DataDirectory, TimeProvider.System, NullLogger<PostgresChecks>.Instance);
}
