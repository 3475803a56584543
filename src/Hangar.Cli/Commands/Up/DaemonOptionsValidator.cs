using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Daemon.Hosting;

namespace Hangar.Cli.Commands.Up;

internal static class DaemonOptionsValidator
{
    public static void Validate(DaemonOptions options)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("region", options.Region));
        problems.Range("--etcd-client-port", options.EtcdClientPort, 1, 65535);
        problems.Range("--etcd-peer-port", options.EtcdPeerPort, 1, 65535);
        problems.Check(options.EtcdClientPort != options.EtcdPeerPort, $"--etcd-client-port and --etcd-peer-port must differ (both {options.EtcdClientPort})");
        problems.Check(System.Net.IPAddress.TryParse(options.AdvertiseAddress, out _), $"invalid --advertise-address '{options.AdvertiseAddress}': expected an IP address");
        foreach (var url in options.EtcdEndpoints)
        {
            problems.Check(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                $"invalid --etcd URL '{url}': expected http://HOST:PORT");
        }

        problems.ThrowIfAny();
        DaemonHost.ParseListen(options.ApiListen);
    }
}
