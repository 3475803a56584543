using System.Text.Json.Nodes;
using Hangar.Core.Errors;
using Hangar.Postgres.Rest;
using Hangar.Postgres.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hangar.Postgres.Tests.Cluster;

[Collection(PgClusterCollection.Name)]
public sealed class SwitchoverAndConfigTests(PgClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Switchover_hands_leadership_to_the_sync_standby_and_the_old_leader_follows()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var before = await fixture.ClusterAsync();
        var leader = fixture.Node(before.Leader!.Name);
        var candidate = before.Members.Single(m => m.Role == PatroniRoles.SyncStandby).Name;

        var message = await leader.Patroni.SwitchoverAsync(leader.Name, candidate, CancellationToken.None);
        Assert.Contains(candidate, message, StringComparison.Ordinal);
        var elapsed = await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"switchover to {candidate}: healthy again {elapsed.TotalSeconds:0.0}s after the call returned");

        var after = await fixture.ClusterAsync();
        Assert.Equal(candidate, after.Leader!.Name);
        Assert.Contains(after.Replicas, r => r.Name == leader.Name);
        Assert.Equal(false, await Sql.ScalarAsync(fixture.Node(candidate).AdminConnectionString(), "SELECT pg_is_in_recovery()"));
    }

    [Fact]
    public async Task Switchover_to_a_member_that_does_not_exist_is_refused_with_patronis_reason()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var leader = await fixture.LeaderAsync();
        var error = await Assert.ThrowsAsync<HangarException>(() => leader.Patroni.SwitchoverAsync(leader.Name, "nosuchnode", CancellationToken.None));
        Assert.Equal(ErrorCodes.FailedPrecondition, error.Code);
        Assert.Contains("412", error.Message, StringComparison.Ordinal);
        Assert.Equal(leader.Name, (await fixture.ClusterAsync()).Leader!.Name);
    }

    [Fact]
    public async Task Unsafe_rest_calls_need_the_rest_api_credentials()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var leader = await fixture.LeaderAsync();
        using var anonymous = new HttpClient { BaseAddress = leader.Http.BaseAddress };
        using var response = await anonymous.PostAsync(new Uri("restart", UriKind.Relative), new StringContent("{}"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        var wrong = new PatroniClient(anonymous, "hangar", "wrong-password");
        var error = await Assert.ThrowsAsync<HangarException>(() => wrong.PatchConfigAsync(new JsonObject { ["loop_wait"] = 1 }, CancellationToken.None));
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_patch_reloads_a_parameter_everywhere_and_reports_pending_restart_for_max_connections()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var leader = await fixture.LeaderAsync();
        var config = await leader.Patroni.GetConfigAsync(CancellationToken.None);
        Assert.Equal(fixture.Timing.Ttl, config["ttl"]!.GetValue<int>());
        Assert.True(config["synchronous_mode"]!.GetValue<bool>());
        Assert.True(config["failsafe_mode"]!.GetValue<bool>());

        // A reloadable parameter: applied on every node without a restart.
        var patched = await leader.Patroni.SetParametersAsync(new Dictionary<string, string?> { ["work_mem"] = "8MB" }, CancellationToken.None);
        Assert.Equal("8MB", patched["postgresql"]!["parameters"]!["work_mem"]!.GetValue<string>());
        foreach (var node in fixture.Nodes)
        {
            await Poll.UntilAsync($"work_mem=8MB on {node.Name}", TimeSpan.FromSeconds(20), async () =>
            {
                var value = (string?)await Sql.ScalarAsync(node.AdminConnectionString(), "SHOW work_mem");
                return (value == "8MB", value ?? "null");
            });
        }

        // A restart-only parameter: Patroni reports pending_restart until the node restarts.
        await leader.Patroni.SetParametersAsync(new Dictionary<string, string?> { ["max_connections"] = "60" }, CancellationToken.None);
        await Poll.UntilAsync("pending_restart on every member", TimeSpan.FromSeconds(30), async () =>
        {
            var cluster = await fixture.ClusterAsync();
            return (cluster.Members.All(m => m.PendingRestart), string.Join(",", cluster.Members.Select(m => $"{m.Name}:{m.PendingRestart}")));
        });
        Assert.True((await leader.Patroni.GetNodeAsync(CancellationToken.None)).PendingRestart);

        var replica = fixture.Node((await fixture.ClusterAsync()).Replicas.First().Name);
        await replica.Patroni.RestartAsync(onlyIfPending: true, CancellationToken.None);
        await Poll.UntilAsync($"{replica.Name} restarted with max_connections=60", TimeSpan.FromSeconds(30), async () =>
        {
            var value = (string?)await Sql.ScalarAsync(replica.AdminConnectionString(), "SHOW max_connections");
            var status = await replica.Patroni.GetNodeAsync(CancellationToken.None);
            return (value == "60" && !status.PendingRestart, $"{value} pending={status.PendingRestart}");
        });

        // Back to what the fixture started with (a replica may not run with fewer connections than the
        // leader, so lowering max_connections again also needs the restart of that node).
        await leader.Patroni.SetParametersAsync(new Dictionary<string, string?> { ["work_mem"] = null, ["max_connections"] = "50" }, CancellationToken.None);
        await Poll.UntilAsync("max_connections back to 50 in the config", TimeSpan.FromSeconds(10), async () =>
        {
            var current = await leader.Patroni.GetConfigAsync(CancellationToken.None);
            var value = current["postgresql"]!["parameters"]!["max_connections"]?.ToString();
            return (value == "50", value ?? "null");
        });
        await Poll.UntilAsync($"{replica.Name} pending restart for max_connections=50", TimeSpan.FromSeconds(30), async () =>
        {
            var status = await replica.Patroni.GetNodeAsync(CancellationToken.None);
            return (status.PendingRestart, $"pending={status.PendingRestart}");
        });
        await replica.Patroni.RestartAsync(onlyIfPending: true, CancellationToken.None);
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
    }
}
