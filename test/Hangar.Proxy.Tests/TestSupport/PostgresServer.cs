using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hangar.Proxy.Tests.TestSupport;

/// <summary>
/// A real PostgreSQL 15 in a temp directory on a free loopback port. PostgreSQL refuses to run as
/// root, so every server command runs as the <c>postgres</c> system user via setpriv.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private string _directory = "";

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_directory, "data");

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("hangar-proxy-pg-").FullName;
        await RunAsync("chown", $"postgres:postgres {_directory}");
        await RunAsPostgresAsync("initdb", $"-D {DataDirectory} -U postgres --auth=trust -E UTF8 --no-sync");
        Port = FreePort();
        await RunAsPostgresAsync(
            "pg_ctl",
            $"start -w -t 30 -D {DataDirectory} -l {_directory}/postgres.log -o \"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_directory} -c fsync=off\"");
    }

    public async Task DisposeAsync()
    {
        await RunAsPostgresAsync("pg_ctl", $"stop -m immediate -D {DataDirectory}");
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static Task RunAsPostgresAsync(string tool, string arguments) =>
        RunAsync("setpriv", $"--reuid=postgres --regid=postgres --init-groups {BinDirectory}/{tool} {arguments}");

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {await stdout} {await stderr}");
        }
    }
}
