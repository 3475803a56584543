using System.Security.Cryptography;
using Hangar.Core.Resources;
using Hangar.Core.Tls;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Security;
using Hangar.Proxy.Configuration;
using Hangar.Proxy.Status;
using Hangar.Volumes;
using Xunit;

namespace Hangar.Daemon.Tests.Postgres;

/// <summary>The daemon's side of the proxy's files goes through the proxy's own contract types.</summary>
public sealed class ProxyFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hangar-proxy-files-").FullName;
    private readonly CertificateAuthority _authority = CertificateAuthority.Create("test", TimeProvider.System);
    private readonly PostgresRuntime _runtime;

    public ProxyFilesTests()
    {
        _runtime = new PostgresRuntime(new SecretBox(RandomNumberGenerator.GetBytes(32)), new DaemonOptions { DataDir = _root, AdvertiseAddress = "127.0.0.1" }, new DataDirectory(_root), new VolumeDisk(Path.Combine(_root, "v"), Path.Combine(_root, "s")), _authority, TimeProvider.System);
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _authority.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Proxy_json_names_every_node_in_order_and_is_rewritten_only_when_it_changes()
    {
        var cluster = Cluster([new PostgresNodeRecord("db-2", 2, 5434, 8010, "vol_2"), new PostgresNodeRecord("db-1", 1, 5433, 8009, "vol_1")]);

        Assert.True(_runtime.WriteProxyConfig(cluster));
        Assert.False(_runtime.WriteProxyConfig(cluster));
        var document = ProxyConfigDocument.FromJson(File.ReadAllText(_runtime.ProxyConfigPath("db")))!;

        Assert.Equal("db", document.Cluster);
        Assert.Equal("127.0.0.1:6432", document.Listen);
        Assert.Equal(["db-1", "db-2"], document.Nodes!.Select(n => n.Name));
        Assert.Equal("http://127.0.0.1:8009", document.Nodes![0].PatroniUrl);
        Assert.Equal(PostgresRuntime.ProxyStatusFile, document.StatusFile);
        Assert.True(document.KernelSteering);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_runtime.ProxyConfigPath("db")));

        Assert.True(_runtime.WriteProxyConfig(cluster with { Nodes = [cluster.Nodes[1]] }));
    }

    [Fact]
    public void The_status_file_reads_back_the_leader_and_connections_the_proxy_wrote()
    {
        Assert.Null(_runtime.ProxyStatus("db"));
        Directory.CreateDirectory(_runtime.ClusterDirectory("db"));
        var now = DateTimeOffset.UnixEpoch;
        File.WriteAllBytes(_runtime.ProxyStatusPath("db"), new ProxyStatus("db", "127.0.0.1:6432", 1, "db-1", now, 5, 9, [], now).ToUtf8Json());

        var status = _runtime.ProxyStatus("db");

        Assert.Equal("db-1", status?.Leader);
        Assert.Equal(5, status?.ActiveConnections);
    }

    private static PostgresRecord Cluster(IReadOnlyList<PostgresNodeRecord> nodes) => new()
    {
        Name = "db",
        Region = "local",
        CreatedAt = DateTimeOffset.UnixEpoch,
        Preset = "custom",
        NodeCount = nodes.Count,
        VolumeSizeGb = 1,
        Synchronous = false,
        CredentialsCiphertext = "-",
        CertificateCiphertext = "-",
        ProxyPort = 6432,
        Nodes = nodes,
    };
}
