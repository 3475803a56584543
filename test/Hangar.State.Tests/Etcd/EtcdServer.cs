using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Hangar.State.Etcd;

namespace Hangar.State.Tests.Etcd;

/// <summary>
/// A real single-member etcd (/usr/bin/etcd) on free loopback ports with a temporary data dir, started from the
/// same command line the daemon uses (<see cref="EtcdProcessArgs"/>); killed and deleted on dispose.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly StringBuilder _log;
    private int _disposed;

    private EtcdServer(Process process, string dataDirectory, Uri clientUrl, StringBuilder log)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        ClientUrl = clientUrl;
        _log = log;
    }

    public Uri ClientUrl { get; }

    public static async Task<EtcdServer> StartAsync(CancellationToken cancellationToken)
    {
        // A port picked as free can be taken by a parallel process before etcd binds it; a fresh pair fixes that.
        var failures = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var dataDirectory = Path.Combine(Path.GetTempPath(), $"hangar-etcd-test-{Guid.NewGuid():N}");
            var member = new EtcdMemberOptions
            {
                Name = "test",
                DataDirectory = dataDirectory,
                ClientPort = FreePort.Next(),
                PeerPort = FreePort.Next(),
            };
            var start = new ProcessStartInfo(EtcdProcessArgs.DefaultExecutable) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in EtcdProcessArgs.Build(member))
            {
                start.ArgumentList.Add(argument);
            }

            var log = new StringBuilder();
            var process = Process.Start(start) ?? throw new InvalidOperationException("etcd did not start.");
            process.ErrorDataReceived += (_, e) => Append(log, e.Data);
            process.OutputDataReceived += (_, e) => Append(log, e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var server = new EtcdServer(process, dataDirectory, member.ClientUrl, log);
            if (await server.WaitHealthyAsync(cancellationToken))
            {
                return server;
            }

            failures.Add(server.Log);
            await server.DisposeAsync();
        }

        throw new InvalidOperationException($"etcd did not become healthy:\n{string.Join("\n---\n", failures)}");
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Compacts history before <paramref name="revision"/>, which the store itself never does.</summary>
    public async Task CompactAsync(long revision, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(
            new Uri(ClientUrl, "/v3/kv/compaction"), new { revision = revision.ToString(System.Globalization.CultureInfo.InvariantCulture), physical = true }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Kills etcd and deletes its data; safe to call twice, since a test may kill etcd early on purpose.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private async Task<bool> WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
        {
            try
            {
                var body = await http.GetStringAsync(new Uri(ClientUrl, "/health"), cancellationToken);
                if (body.Contains("\"true\"", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening, but no leader elected yet.
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }
}
