using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Hangar.Proxy.Configuration;
using Hangar.Proxy.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hangar.Proxy;

/// <summary>Entry point of the proxy process (<c>hangar __proxy --config PATH</c>).</summary>
public static class ProxyProgram
{
    internal const string Usage = "usage: hangar __proxy --config PATH [--metrics-token-file PATH] [--verbose]";

    // Several events arrive per save (truncate, write, rename); one read after they settle is enough.
    private static readonly TimeSpan ReloadSettle = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs the leader-following proxy described by the JSON file given with <c>--config</c> until
    /// SIGTERM, SIGINT or <paramref name="cancellationToken"/>. The file is re-read when it changes
    /// and on SIGHUP; the status is written to <c>NAME.status.json</c> next to it (or to
    /// <c>statusFile</c>). Returns 0 after a clean stop, 2 for bad arguments or config, 1 when the
    /// listen address cannot be bound.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        EnableInlineSocketCompletions();
        if (ParseArguments(args) is not ({ } configPath, var verbose, var metricsTokenFile))
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var initial = await ProxyConfigReader.ReadFileAsync(configPath, cancellationToken).ConfigureAwait(false);
        if (!initial.IsValid)
        {
            foreach (var problem in initial.Problems)
            {
                await Console.Error.WriteLineAsync($"Error: {configPath}: {problem}").ConfigureAwait(false);
            }

            return 2;
        }

        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            }));
        var logger = loggerFactory.CreateLogger("Hangar.Proxy");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reloads = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            reloads.Writer.TryWrite(true);
        });

        var config = WithWakePath(initial.Config, configPath) with { MetricsTokenFile = metricsTokenFile };
        var statusPath = config.StatusFile is { } statusFile
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, statusFile)
            : ProxyConfigReader.DefaultStatusPath(configPath);

        ProxyHost host;
        try
        {
            host = ProxyHost.Start(config, statusPath, loggerFactory, TimeProvider.System);
        }
        catch (SocketException e)
        {
            await Console.Error.WriteLineAsync($"Error: cannot listen on {config.Listen}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (host.ConfigureAwait(false))
        {
            using var watcher = new ConfigFileWatcher(configPath, () => reloads.Writer.TryWrite(true));
            try
            {
                while (true)
                {
                    await reloads.Reader.ReadAsync(stop.Token).ConfigureAwait(false);
                    await Task.Delay(ReloadSettle, stop.Token).ConfigureAwait(false);
                    while (reloads.Reader.TryRead(out _))
                    {
                    }

                    var reloaded = await ProxyConfigReader.ReadFileAsync(configPath, stop.Token).ConfigureAwait(false);
                    if (reloaded.IsValid)
                    {
                        host.Reconfigure(WithWakePath(reloaded.Config, configPath) with { MetricsTokenFile = metricsTokenFile });
                    }
                    else
                    {
                        logger.ConfigRejected(config.Cluster, string.Join("; ", reloaded.Problems));
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // SIGTERM, SIGINT or the caller's token: stop cleanly.
            }
        }

        return 0;
    }

    /// <summary>
    /// Runs socket continuations on the epoll thread that saw the readiness instead of queueing them
    /// to the thread pool. For a proxy every completion is a short non-blocking hand-off (receive,
    /// then send), and the queue hop costs a context switch per message: bench/proxy measured
    /// pgbench -S at 0.70x direct without it and ~0.9x with it on 2 cores.
    /// </summary>
    /// <remarks>
    /// The runtime reads this variable once, when the first socket operation starts the engine, so
    /// it only takes effect when set before that; the daemon should also put it in the proxy's
    /// environment. Nothing that blocks may run inline: tracker and status-file work is
    /// handed off through RunContinuationsAsynchronously signals.
    /// </remarks>
    private static void EnableInlineSocketCompletions()
    {
        const string name = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(name) is null)
        {
            Environment.SetEnvironmentVariable(name, "1");
        }
    }

    private static (string? ConfigPath, bool Verbose, string? MetricsTokenFile) ParseArguments(string[] args)
    {
        string? configPath = null;
        string? metricsTokenFile = null;
        var verbose = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length:
                    configPath = args[++i];
                    break;
                case var arg when arg.StartsWith("--config=", StringComparison.Ordinal):
                    configPath = arg["--config=".Length..];
                    break;
                case "--metrics-token-file" when i + 1 < args.Length:
                    metricsTokenFile = args[++i];
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                default:
                    return (null, false, null);
            }
        }

        return (string.IsNullOrEmpty(configPath) ? null : configPath, verbose, metricsTokenFile);
    }

    /// <summary>The wake file relative to the config's directory, as the status file is.</summary>
    private static ProxyConfig WithWakePath(ProxyConfig config, string configPath) =>
        config.WakeFile is { } wake ? config with { WakeFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, wake) } : config;
}
