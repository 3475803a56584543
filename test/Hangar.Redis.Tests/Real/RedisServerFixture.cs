using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hangar.Core.Resources;
using Hangar.Redis.Config;
using Hangar.Redis.Resp;

namespace Hangar.Redis.Tests.Real;

/// <summary>
/// A real redis-server on a free loopback port, configured by the same renderers the daemon uses (redis.conf and
/// the ACL file), so these tests check both our RESP client and the rules we generate against the real server.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string AppPassword = "app-password-for-tests";
    public const string AdminPassword = "admin-password-for-tests";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hangar-redis-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _server;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            var settings = new RedisSettings
            {
                ConfigPath = Path.Combine(_dir, "redis.conf"),
                BindAddress = "127.0.0.1",
                Port = Port,
                DataDirectory = _dir,
                AclFile = Path.Combine(_dir, "users.acl"),
                MaxMemoryMb = 16,
                Eviction = false,
                Persistence = RedisPersistence.None,
            };
            await File.WriteAllTextAsync(settings.AclFile, RedisAcl.Render("app", AppPassword, AdminPassword));
            await File.WriteAllTextAsync(settings.ConfigPath, RedisConfigFile.Render(settings));
            _server = Process.Start(new ProcessStartInfo("/usr/bin/redis-server", settings.ConfigPath) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            _server.OutputDataReceived += (_, _) => { };
            _server.BeginOutputReadLine();
            _server.BeginErrorReadLine();
            if (await WaitReadyAsync() || attempt == 3)
            {
                return;
            }

            // Someone took the port between our probe and the server's bind: try another.
            await StopAsync();
        }
    }

    public Task<RespConnection> AppAsync() => RespConnection.OpenAsync("127.0.0.1", Port, "app", AppPassword, CancellationToken.None);

    public Task<RespConnection> AdminAsync() => RespConnection.OpenAsync("127.0.0.1", Port, RedisAcl.AdminUser, AdminPassword, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<bool> WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !_server!.HasExited)
        {
            try
            {
                await using var admin = await AdminAsync();
                if ((await admin.SendAsync(["PING"], CancellationToken.None)).Text == "PONG")
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is SocketException or RespProtocolException or IOException)
            {
            }

            await Task.Delay(50);
        }

        return false;
    }

    private async Task StopAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill();
            await server.WaitForExitAsync();
        }

        _server?.Dispose();
        _server = null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
