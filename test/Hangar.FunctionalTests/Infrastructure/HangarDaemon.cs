using System.Diagnostics;
using System.Runtime.InteropServices;
using Hangar.Client;

namespace Hangar.FunctionalTests.Infrastructure;

/// <summary>
/// A real `hangar up` in a temp data dir with its own local etcd on free ports, driven through the real CLI binary.
/// <see cref="KillAsync"/> is a kill -9 of the daemon only (its children live on); <see cref="StartAsync"/> starts it again
/// on the same data dir. Disposing stops the daemon with SIGTERM (it stops its children) and removes the data dir.
/// </summary>
public sealed partial class HangarDaemon : IAsyncDisposable
{
    private readonly int _etcdClientPort = FreePorts.Next();
    private readonly int _etcdPeerPort = FreePorts.Next();
    private static int s_daemons;
    private readonly object _outputGate = new();
    private readonly int _s3Port = FreePorts.Next();
    private readonly int _s3HttpsPort = FreePorts.Next();

    // Each daemon of a test run gets its own block of ports, so one never takes a port another's node is restarting on.
    private readonly int _portBase = 16000 + (40 * (Interlocked.Increment(ref s_daemons) % 400));
    private Process? _daemon;

    public HangarDaemon(params string[] extraUpArguments)
    {
        ExtraUpArguments = extraUpArguments;
        Root = Directory.CreateTempSubdirectory("hangar-ft-").FullName;
        XdgConfigHome = Path.Combine(Root, "xdg");

        // The postgres and redis users must be able to pass through to the data dir.
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    public string Root { get; }

    /// <summary>The daemon's XDG_CONFIG_HOME (where it may write the user config); its own by default, never the real user's.</summary>
    public string XdgConfigHome { get; init; }

    public string DataDir => Path.Combine(Root, "data");

    /// <summary>The S3 server's plain-HTTP endpoint (the daemon's --s3-listen).</summary>
    /// <summary>More `hangar up` flags, e.g. --etcd for a daemon that joins an existing etcd.</summary>
    public IReadOnlyList<string> ExtraUpArguments { get; }

    public string S3Url => $"http://127.0.0.1:{_s3Port}";

    /// <summary>The S3 server's HTTPS endpoint (the daemon's --s3-https-listen), with a certificate from the platform CA.</summary>
    public string S3HttpsUrl => $"https://127.0.0.1:{_s3HttpsPort}";

    /// <summary>The platform CA certificate the daemon made in its data dir.</summary>
    public string CaCertificatePath => Path.Combine(DataDir, "ca.crt");

    /// <summary>The daemon's own etcd, for tests that look at or damage what is stored there.</summary>
    public string EtcdUrl => $"http://127.0.0.1:{_etcdClientPort}";

    public static string Binary =>
        Environment.GetEnvironmentVariable("HANGAR_BIN") is { Length: > 0 } bin ? bin : Path.Combine(RepoRoot(), ".build", "hangar", "hangar");

    public int? Pid => _daemon is { HasExited: false } d ? d.Id : null;

    // A test that sets its own --s3-https-listen (or off) gets that instead of a free port.
    // The embedded Prometheus only where a test asks for it (the metrics tests): it costs a process and a scrape loop.
    private string[] PrometheusArguments() =>
        ExtraUpArguments.Any(a => a.StartsWith("--prometheus", StringComparison.Ordinal)) ? [] : ["--prometheus=false"];

    private string[] HttpsArguments() =>
        ExtraUpArguments.Contains("--s3-https-listen") ? [] : ["--s3-https-listen", $"127.0.0.1:{_s3HttpsPort}"];

    public static async Task<HangarDaemon> StartNewAsync()
    {
        var daemon = new HangarDaemon();
        await daemon.StartAsync();
        return daemon;
    }

    public async Task StartAsync()
    {
        var config = Path.Combine(DataDir, ClientConfig.FileName);
        var before = File.Exists(config) ? File.GetLastWriteTimeUtc(config) : DateTime.MinValue;
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["up", "--data-dir", DataDir, "--api-listen", "127.0.0.1:0", "--etcd-client-port", _etcdClientPort.ToString(), "--etcd-peer-port", _etcdPeerPort.ToString(), "--s3-listen", $"127.0.0.1:{_s3Port}", .. HttpsArguments(), .. PrometheusArguments(), "--port-range", $"{_portBase}-{_portBase + 39}", .. ExtraUpArguments])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_CONFIG_HOME"] = XdgConfigHome;
        start.Environment.Remove("HANGAR_DATA_DIR");
        var log = Path.Combine(Root, "daemon-stdout.log");
        _daemon = Process.Start(start)!;
        var output = Task.WhenAll(PumpAsync(_daemon.StandardOutput, log), PumpAsync(_daemon.StandardError, log));

        // Ready when the API answers with the config the daemon wrote after binding.
        await Poll.UntilAsync(async () =>
        {
            if (_daemon.HasExited)
            {
                // Its output is complete only once both pumps have reached the end of their streams.
                await output;
                throw new InvalidOperationException($"hangar up exited with {_daemon.ExitCode}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no output)")}");
            }

            if (!File.Exists(config) || File.GetLastWriteTimeUtc(config) <= before)
            {
                return false;
            }

            using var client = Client();
            try
            {
                await client.StatusAsync(CancellationToken.None);
                return true;
            }
            catch (HangarApiException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "daemon to become ready");
    }

    public HangarClient Client() => new(ClientConfig.Read(Path.Combine(DataDir, ClientConfig.FileName)));

    /// <summary>Runs the CLI against this daemon.</summary>
    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public Task<CliResult> RunWithInputAsync(string? stdin, params string[] args) =>
        RunWithEnvironmentAsync(stdin, new Dictionary<string, string?> { ["HANGAR_DATA_DIR"] = DataDir }, args);

    /// <summary>Runs the CLI with <paramref name="environment"/> set (a null value removes the variable).</summary>
    public static async Task<CliResult> RunWithEnvironmentAsync(string? stdin, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public async Task<System.Text.Json.JsonElement> JsonAsync(params string[] args)
    {
        var result = (await RunAsync([.. args, "--json"])).ShouldSucceed();
        return System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    /// <summary>The pid of supervised process <paramref name="name"/>, from its pid file.</summary>
    public int? ChildPid(string name)
    {
        var file = Path.Combine(DataDir, "run", name + ".pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Split(' ')[0], out var pid) ? pid : null;
    }

    public static void Signal(int pid, string signal) => Process.Start("/bin/kill", ["-" + signal, pid.ToString()])!.WaitForExit();

    /// <summary>SIGTERM and wait: the daemon stops every child it supervises.</summary>
    public async Task StopAsync()
    {
        if (_daemon is { HasExited: false } daemon)
        {
            Kill(daemon.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await daemon.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                daemon.Kill();
            }
        }
    }

    /// <summary>kill -9 of the daemon alone: what it supervises keeps running.</summary>
    public async Task KillAsync()
    {
        if (_daemon is { HasExited: false } daemon)
        {
            daemon.Kill(entireProcessTree: false);
            await daemon.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();

        // Whatever is still recorded as running (a test killed the daemon and did not restart it) goes too.
        var run = Path.Combine(DataDir, "run");
        if (Directory.Exists(run))
        {
            foreach (var pidFile in Directory.GetFiles(run, "*.pid"))
            {
                if (int.TryParse((await File.ReadAllTextAsync(pidFile)).Split(' ')[0], out var pid))
                {
                    Kill(-pid, 9);
                    Kill(pid, 9);
                }
            }
        }

        // HANGAR_TEST_KEEP=1 leaves the daemon's directory (logs, data) for a look after a failure.
        if (Environment.GetEnvironmentVariable("HANGAR_TEST_KEEP") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Hangar.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repo root not found");
    }

    private async Task PumpAsync(StreamReader reader, string path)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            // stdout and stderr share the file: one writer at a time.
            lock (_outputGate)
            {
                File.AppendAllText(path, line + "\n");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
