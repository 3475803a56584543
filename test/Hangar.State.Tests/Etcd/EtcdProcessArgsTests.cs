using Hangar.State.Etcd;

namespace Hangar.State.Tests.Etcd;

/// <summary>The command line itself is proven by <see cref="EtcdServer"/>, which starts every test etcd with it.</summary>
public sealed class EtcdProcessArgsTests
{
    [Fact]
    public void Build_SingleLoopbackMember_NamesItselfAsTheWholeCluster()
    {
        var args = EtcdProcessArgs.Build(new EtcdMemberOptions { Name = "hangar", DataDirectory = "/var/lib/hangar/etcd", ClientPort = 23790, PeerPort = 23800 });

        Assert.Equal("http://127.0.0.1:23790", Value(args, "--listen-client-urls"));
        Assert.Equal("http://127.0.0.1:23790", Value(args, "--advertise-client-urls"));
        Assert.Equal("http://127.0.0.1:23800", Value(args, "--listen-peer-urls"));
        Assert.Equal("hangar=http://127.0.0.1:23800", Value(args, "--initial-cluster"));
        Assert.Equal("new", Value(args, "--initial-cluster-state"));
        Assert.Equal("/var/lib/hangar/etcd", Value(args, "--data-dir"));
        Assert.Equal("60m", Value(args, "--auto-compaction-retention"));
        Assert.Equal("2147483648", Value(args, "--quota-backend-bytes"));
    }

    [Fact]
    public void Build_Ipv6Host_IsBracketed()
    {
        var args = EtcdProcessArgs.Build(new EtcdMemberOptions { Name = "m", DataDirectory = "/d", ClientPort = 1, PeerPort = 2, Host = "::1" });

        Assert.Equal("http://[::1]:1", Value(args, "--listen-client-urls"));
    }

    private static string Value(IReadOnlyList<string> args, string flag)
    {
        var index = args.ToList().IndexOf(flag);
        Assert.True(index >= 0 && index + 1 < args.Count, $"{flag} missing");
        return args[index + 1];
    }
}
