using System.Diagnostics;

namespace Hangar.Postgres.Tests.Infrastructure;

/// <summary>A throwaway single-member etcd on free loopback ports.</summary>
internal sealed class EtcdServer : IAsyncDisposable
{
    private readonly Process _process;

    private EtcdServer(Process process, int clientPort)
    {
        _process = process;
        ClientPort = clientPort;
    }

    public int ClientPort { get; }

    public string Endpoint => $"127.0.0.1:{ClientPort}";

    public static async Task<EtcdServer> StartAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var ports = FreePorts.Take(2);
        var client = $"http://127.0.0.1:{ports[0]}";
        var peer = $"http://127.0.0.1:{ports[1]}";
        var process = LoggedProcess.Start(
            "/usr/bin/etcd",
            [
                "--name", "test", "--data-dir", Path.Combine(directory, "data"),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", $"test={peer}", "--initial-cluster-state", "new",
            ],
            Path.Combine(directory, "etcd.log"));
        var server = new EtcdServer(process, ports[0]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync("etcd /health", TimeSpan.FromSeconds(20), async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with {process.ExitCode}; see {directory}/etcd.log");
            }

            var body = await http.GetStringAsync(new Uri($"{client}/health"), cancellationToken);
            return (body.Contains("\"true\"", StringComparison.Ordinal), body);
        });
        return server;
    }

    public ValueTask DisposeAsync()
    {
        LoggedProcess.KillHard(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
