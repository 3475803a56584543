using System.Net;
using System.Runtime.InteropServices;
using Hangar.ObjectStore.Hosting;

namespace Hangar.ObjectStore;

/// <summary>Entry point of the S3 server process (`hangar __s3-server ...`).</summary>
public static class S3ServerProgram
{
    public const string Usage = "usage: __s3-server --data-dir DIR [--listen 127.0.0.1:PORT] [--https-listen 127.0.0.1:PORT] [--cert PEM --key PEM] [--admin-token-file PATH] [--metrics-token-file PATH] [--domain s3.localhost] [--region local] [--min-free-bytes N]";

    /// <summary>Runs until <paramref name="cancellationToken"/> fires or SIGTERM/SIGINT arrives; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var options, out var error))
        {
            await Console.Error.WriteLineAsync($"Error: {error}\n{Usage}");
            return 2;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        S3Server server;
        try
        {
            server = await S3Server.StartAsync(options!, stop.Token);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Error: {ex.Message}");
            return 1;
        }
        await using (server)
        {
            Console.WriteLine($"hangar s3 ready http={server.HttpAddress?.ToString() ?? "-"} https={server.HttpsAddress?.ToString() ?? "-"} pid={Environment.ProcessId}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return 0;
    }

    internal static bool TryParse(string[] args, out S3ServerOptions? options, out string? error)
    {
        options = null;
        error = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                error = $"unexpected argument '{args[i]}'";
                return false;
            }
            values[args[i]] = args[++i];
        }
        var known = new[] { "--data-dir", "--listen", "--https-listen", "--cert", "--key", "--admin-token-file", "--metrics-token-file", "--domain", "--region", "--min-free-bytes" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            error = $"unknown option {unknown}";
            return false;
        }
        if (!values.TryGetValue("--data-dir", out var dataDir))
        {
            error = "--data-dir is required";
            return false;
        }
        IPEndPoint? http = null, https = null;
        if (values.TryGetValue("--listen", out var l) && !IPEndPoint.TryParse(l, out http))
        {
            error = $"--listen {l} is not ADDRESS:PORT";
            return false;
        }
        if (values.TryGetValue("--https-listen", out var h) && !IPEndPoint.TryParse(h, out https))
        {
            error = $"--https-listen {h} is not ADDRESS:PORT";
            return false;
        }
        if (http is null && https is null)
        {
            error = "give --listen, --https-listen or both";
            return false;
        }
        if (values.ContainsKey("--cert") != values.ContainsKey("--key"))
        {
            error = "--cert and --key go together";
            return false;
        }
        long? minFree = null;
        if (values.TryGetValue("--min-free-bytes", out var m))
        {
            if (!long.TryParse(m, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes))
            {
                error = $"--min-free-bytes {m} is not a whole number of bytes (0 or more)";
                return false;
            }
            minFree = bytes;
        }
        options = new S3ServerOptions
        {
            MinFreeBytes = minFree,
            DataDir = Path.GetFullPath(dataDir),
            Listen = http,
            HttpsListen = https,
            CertificatePath = values.GetValueOrDefault("--cert"),
            KeyPath = values.GetValueOrDefault("--key"),
            AdminTokenFile = values.GetValueOrDefault("--admin-token-file"),
            MetricsTokenFile = values.GetValueOrDefault("--metrics-token-file"),
            Domain = values.GetValueOrDefault("--domain") ?? "s3.localhost",
            Region = values.GetValueOrDefault("--region") ?? "local",
            // Test-only: shrink the lifecycle day and pass interval so a functional test sees a real rule expire.
            LifecycleDay = SecondsFromEnvironment("HANGAR_S3_LIFECYCLE_DAY_SECONDS") ?? TimeSpan.FromDays(1),
            LifecycleInterval = SecondsFromEnvironment("HANGAR_S3_LIFECYCLE_INTERVAL_SECONDS") ?? TimeSpan.FromHours(1),
        };
        return true;
    }

    private static TimeSpan? SecondsFromEnvironment(string name) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
