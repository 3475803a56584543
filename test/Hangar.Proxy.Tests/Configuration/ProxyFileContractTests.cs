using System.Net;
using Hangar.Proxy.Configuration;
using Hangar.Proxy.Status;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hangar.Proxy.Tests.Configuration;

/// <summary>proxy.json and the status file are one type each, written and read through the same contract.</summary>
public sealed class ProxyFileContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hangar-proxy-contract-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_config_written_as_the_daemon_writes_it_is_read_back_by_the_proxy_with_every_value()
    {
        var document = new ProxyConfigDocument
        {
            Cluster = "db",
            Listen = "127.0.0.1:6432",
            Nodes = [new ProxyNodeDocument { Name = "db-1", Host = "127.0.0.1", Port = 5433, PatroniUrl = "http://127.0.0.1:8008" }],
            PollIntervalMs = 100,
            StatusFile = "proxy.status.json",
            KernelSteering = true,
        };

        var text = document.ToJson();
        var result = ProxyConfigReader.Parse(text);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal("db", result.Config.Cluster);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:6432"), result.Config.Listen);
        Assert.Equal(new ProxyNodeConfig("db-1", "127.0.0.1", 5433, new Uri("http://127.0.0.1:8008")), Assert.Single(result.Config.Nodes));
        Assert.Equal(TimeSpan.FromMilliseconds(100), result.Config.PollInterval);
        Assert.Equal(ProxyConfigReader.DefaultProbeTimeout, result.Config.ProbeTimeout);
        Assert.Equal("proxy.status.json", result.Config.StatusFile);
        Assert.True(result.Config.KernelSteering);

        // Unset fields are left out rather than written as null, and the same document always gives the same text.
        Assert.DoesNotContain("probeTimeoutMs", text, StringComparison.Ordinal);
        Assert.Equal(text, ProxyConfigDocument.FromJson(text)!.ToJson());
    }

    [Fact]
    public async Task The_status_the_proxy_writes_is_what_the_daemon_reads()
    {
        var path = Path.Combine(_dir, "proxy.status.json");
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var status = new ProxyStatus("db", "127.0.0.1:6432", 4242, "db-2", now, 3, 17, [new ProxyNodeStatus("db-2", "127.0.0.1", 5434, "leader", 3)], now);
        await using (new StatusFileWriter(path, "db", () => status, TimeProvider.System, NullLogger.Instance))
        {
        }

        var read = ProxyStatus.Read(path);

        Assert.NotNull(read);
        Assert.Equal(status with { Nodes = [] }, read with { Nodes = [] });
        Assert.Equal(status.Nodes, read.Nodes);
    }

    [Fact]
    public void A_missing_or_torn_status_file_reads_as_none()
    {
        var path = Path.Combine(_dir, "proxy.status.json");
        Assert.Null(ProxyStatus.Read(path));
        File.WriteAllText(path, "{\"cluster\": \"db\", \"leader\": \"db-");
        Assert.Null(ProxyStatus.Read(path));
    }
}
