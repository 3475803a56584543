using System.Diagnostics;
using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;

namespace Hangar.FunctionalTests.Dashboard;

/// <summary>Debian's Prometheus (/usr/bin/prometheus) on a loopback port, scraping one target every second; stoppable and startable again on the same data.</summary>
public sealed class TestPrometheus : IAsyncDisposable
{
    private readonly string _dir;
    private Process? _process;

    public TestPrometheus(int port, int targetPort, string dir)
    {
        Port = port;
        _dir = dir;
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        File.WriteAllText(Path.Combine(dir, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: dashboard-test
                honor_labels: true
                static_configs:
                  - targets: ['127.0.0.1:{targetPort}']
            """);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("/usr/bin/prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--config.file=" + Path.Combine(_dir, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(_dir, "data"), $"--web.listen-address=127.0.0.1:{Port}", "--log.level=warn" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        var log = Path.Combine(_dir, "prometheus.log");
        _ = _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = Task.Run(async () =>
        {
            await using var file = File.Open(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await _process.StandardError.BaseStream.CopyToAsync(file);
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty)}");
            }

            try
            {
                return (await http.GetAsync(Url + "/-/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "Prometheus to be ready");
    }

    /// <summary>The number of samples of <paramref name="metric"/> in the last minute (0 when none).</summary>
    public async Task<int> SamplesAsync(string metric)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var answer = JsonDocument.Parse(await http.GetStringAsync($"{Url}/api/v1/query?query={Uri.EscapeDataString($"max(count_over_time({metric}[1m]))")}")).RootElement;
        var result = answer.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? 0 : int.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }
}
