using Hangar.State.Etcd;
using Hangar.Supervision;

namespace Hangar.Daemon.Hosting;

/// <summary>The single-member etcd a daemon runs for itself when not given --etcd.</summary>
internal static class EmbeddedEtcd
{
    public const string ProcessName = "etcd";

    public static EtcdMemberOptions Member(DaemonOptions options, DataDirectory data) => new()
    {
        Name = "hangar",
        DataDirectory = data.Etcd,
        ClientPort = options.EtcdClientPort,
        PeerPort = options.EtcdPeerPort,
    };

    public static ProcessSpec Spec(EtcdMemberOptions member, HttpClient probe) => new()
    {
        Name = ProcessName,
        FileName = EtcdProcessArgs.DefaultExecutable,
        Arguments = EtcdProcessArgs.Build(member),

        // Identity: this data dir's etcd, not some other etcd on the machine.
        IdentityMarker = member.DataDirectory,
        Readiness = async ct =>
        {
            using var response = await probe.GetAsync(new Uri(member.ClientUrl, "health"), ct);
            return response.IsSuccessStatusCode;
        },
        StopTimeout = TimeSpan.FromSeconds(15),
    };
}
