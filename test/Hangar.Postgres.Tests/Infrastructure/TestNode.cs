using System.Diagnostics;
using Hangar.Postgres.Config;
using Hangar.Postgres.Connections;
using Hangar.Postgres.Failover;
using Hangar.Postgres.Nodes;
using Hangar.Postgres.Rest;
using Npgsql;

namespace Hangar.Postgres.Tests.Infrastructure;

/// <summary>One Patroni node run by the fixture: its options, its REST client and its process.</summary>
internal sealed class TestNode : IDisposable
{
    private readonly HttpClient _http;
    private Process? _patroni;

    public TestNode(PatroniNodeOptions options, PatroniNodeLaunch launch, string logFile)
    {
        Options = options;
        Launch = launch;
        LogFile = logFile;
        // Generous: on two cores shared by three Patronis, etcd and PostgreSQL a REST call (a PATCH /config goes
        // through etcd) once took over 5 s in CI; the tests check outcomes, not REST latency.
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{options.RestApiPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        Patroni = new PatroniClient(_http, options.Credentials.RestApiUser, options.Credentials.RestApiPassword);
    }

    public string Name => Options.NodeName;

    public PatroniNodeOptions Options { get; }

    public PatroniNodeLaunch Launch { get; }

    public string LogFile { get; }

    public PatroniClient Patroni { get; }

    public HttpClient Http => _http;

    public int? PatroniPid => _patroni is { HasExited: false } p ? p.Id : null;

    public void Start()
    {
        if (_patroni is { HasExited: false })
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        _patroni?.Dispose();
        // The supervisor's job in production; setpriv as the test's stand-in for it.
        string[] arguments =
        [
            $"--reuid={Launch.RunAsUser}", $"--regid={Launch.RunAsUser}", "--init-groups", "--",
            Launch.FileName, .. Launch.Arguments,
        ];
        _patroni = LoggedProcess.Start("/usr/bin/setpriv", arguments, LogFile, Launch.Environment, Launch.WorkingDirectory);
    }

    public int? PostmasterPid() => Hangar.Postgres.Nodes.Postmaster.RunningPid(Options.Paths.DataDirectory);

    /// <summary>kill -9 of Patroni and of the postmaster: the node dies without releasing the leader key.</summary>
    public void KillHard()
    {
        var postmaster = PostmasterPid();
        LoggedProcess.KillHard(_patroni);
        if (postmaster is { } pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Exited on its own meanwhile.
            }

            // Not our child, so no cheap wait: watch /proc until it is gone or a zombie.
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(5) && IsAlive(pid))
            {
                Thread.Sleep(5);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public string ConnectionString(string user, string password, string database = "postgres") =>
        ConnectionStrings.Npgsql(user, password, "127.0.0.1", Options.PostgresPort, database, SslMode.Disable) + ";Pooling=false;Timeout=5;Command Timeout=10";

    public string AdminConnectionString(string database = "postgres") =>
        ConnectionString(Options.Credentials.AdminUser, Options.Credentials.AdminPassword, database);

    public void Dispose()
    {
        KillHard();
        _patroni?.Dispose();
        _http.Dispose();
    }
}
