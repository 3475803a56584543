using System.Diagnostics;
using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.State.Etcd;
using Xunit;

namespace Hangar.FunctionalTests.Daemon;

/// <summary>`hangar up --etcd URL`: the daemon uses an etcd it did not start and starts none of its own.</summary>
public sealed class ExternalEtcdTests
{
    [Fact]
    public async Task Up_with_etcd_joins_the_given_cluster_and_runs_no_local_etcd()
    {
        var root = Directory.CreateTempSubdirectory("hangar-etcd-").FullName;
        var member = new EtcdMemberOptions { Name = "external", DataDirectory = Path.Combine(root, "etcd"), ClientPort = FreePorts.Next(), PeerPort = FreePorts.Next() };
        using var etcd = Process.Start(new ProcessStartInfo(EtcdProcessArgs.DefaultExecutable, EtcdProcessArgs.Build(member)) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        _ = etcd.StandardError.ReadToEndAsync();
        _ = etcd.StandardOutput.ReadToEndAsync();
        try
        {
            using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [member.ClientUrl] });
            await Poll.UntilAsync(async () => (await store.HealthAsync(CancellationToken.None)).Healthy, TimeSpan.FromSeconds(30), "the external etcd");

            await using var daemon = new HangarDaemon("--etcd", member.ClientUrl.ToString());
            await daemon.StartAsync();
            (await daemon.RunAsync("apps", "create", "shared-store")).ShouldSucceed();

            var status = await daemon.JsonAsync("status");
            Assert.False(status.GetProperty("store").GetProperty("embedded").GetBoolean());
            Assert.DoesNotContain(status.GetProperty("processes").EnumerateArray(), p => p.GetProperty("name").GetString() == "etcd");
            Assert.False(Directory.Exists(Path.Combine(daemon.DataDir, "etcd")));

            // The record is in the etcd we started, where another daemon on another host would see it.
            Assert.NotNull(await store.GetAsync("/hangar/apps/shared-store", CancellationToken.None));
        }
        finally
        {
            etcd.Kill();
            await etcd.WaitForExitAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Up_with_an_unreachable_etcd_fails_with_one_line()
    {
        await using var daemon = new HangarDaemon("--etcd", $"http://127.0.0.1:{FreePorts.Next()}");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(daemon.StartAsync);
        Assert.Contains("Error: etcd at http://127.0.0.1:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("is not healthy", failure.Message, StringComparison.Ordinal);
    }
}
