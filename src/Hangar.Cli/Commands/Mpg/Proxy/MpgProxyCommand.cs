using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Hangar.Cli.Infrastructure;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Mpg.Proxy;

/// <summary>`hangar mpg proxy`: a local port that forwards to the pool, as `fly mpg proxy`, until Ctrl-C.</summary>
internal static class MpgProxyCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var localPort = new Option<int>("--local-port") { Description = "Local port to listen on (default 16380)", DefaultValueFactory = _ => 16380 };
        return new Command("proxy", "Forward a local port to the cluster's pool").With(cluster, localPort).Runs(async (context, ct) =>
        {
            var port = context.Get(localPort);
            if (port is < 1 or > 65535)
            {
                throw HangarException.Invalid($"invalid --local-port {port}: 1-65535");
            }

            var info = await context.Client.MpgConnectInfoAsync(context.Get(cluster), ct);
            using var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException ex)
            {
                throw HangarException.Precondition($"cannot listen on 127.0.0.1:{port}: {ex.Message}; pass another --local-port");
            }

            Output.Line($"Proxying 127.0.0.1:{port} to the pool of {context.Get(cluster)} at {info.Host}:{info.Port} (Ctrl-C to stop)");
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync(ct);
                    _ = ForwardAsync(client, info.Host, info.Port, ct);
                }
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        });
    }

    private static async Task ForwardAsync(TcpClient client, string host, int port, CancellationToken cancellationToken)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(host, port, cancellationToken);
                var up = client.GetStream().CopyToAsync(server.GetStream(), cancellationToken);
                var down = server.GetStream().CopyToAsync(client.GetStream(), cancellationToken);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // One connection ends; the proxy goes on.
            }
        }
    }
}
