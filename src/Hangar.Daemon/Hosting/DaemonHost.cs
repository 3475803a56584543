using Hangar.Client;
using Hangar.Core.Errors;
using Hangar.Core.Tls;
using Hangar.Core.Unix;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Certificates;
using Hangar.Daemon.Checks;
using Hangar.Daemon.Dashboard;
using Hangar.Daemon.Errors;
using Hangar.Daemon.Logging;
using Hangar.Daemon.Logs;
using Hangar.Daemon.Platform;
using Hangar.Daemon.Postgres;
using Hangar.Daemon.Redis;
using Hangar.Daemon.Secrets;
using Hangar.Daemon.Security;
using Hangar.Daemon.Sqlite;
using Hangar.Daemon.Status;
using Hangar.Daemon.Storage;
using Hangar.Daemon.Volumes;
using Hangar.State.Etcd;
using Hangar.State;
using Hangar.Supervision;
using Hangar.Volumes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Hosting;

/// <summary>
/// `hangar up`. Start-up order (see docs/ARCHITECTURE.md): data dir and its lock, keys and token, supervisor,
/// the store (adopting or starting the local etcd), reconcilers, then the API; the client config is written
/// once the API's real address is known. Shutdown runs it backwards and stops every child it supervises.
/// </summary>
public static partial class DaemonHost
{
    public static async Task<int> RunAsync(DaemonOptions options, Action<string> say, CancellationToken cancellationToken)
    {
        // Before the first file: everything the daemon and its children make without an explicit mode is owner-only.
        FileModes.RestrictUmask();
        var data = new DataDirectory(options.DataDir);
        data.Create();
        options = options with { DataDir = data.Root };

        // One daemon per data dir: a second one would start second copies of every process.
        FileStream daemonLock;
        try
        {
            daemonLock = new FileStream(data.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw HangarException.Precondition($"another hangar daemon is running on {data.Root}");
        }

        await using var _ = daemonLock;
        var (host, port) = ParseListen(options.ApiListen);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddProvider(new FileLoggerProvider(data.DaemonLog));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(host, port));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.AddOpenApi();

        var time = TimeProvider.System;
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var token = LoadToken(data);
        var metricsToken = Metrics.MetricsToken.LoadOrCreate(data.MetricsToken);
        var secretBox = SecretBox.LoadOrCreate(data.SecretsKey);
        using var authority = CertificateAuthority.LoadOrCreate(data.Root, time);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(data);
        builder.Services.AddSingleton(token);
        builder.Services.AddSingleton(metricsToken);
        builder.Services.AddSingleton(secretBox);
        builder.Services.AddSingleton(authority);
        builder.Services.AddSingleton(new DaemonClock(time.GetUtcNow()));
        builder.Services.AddSingleton(new VolumeDisk(data.Volumes, data.Snapshots));
        builder.Services.AddSingleton(sp => new Supervisor(
            new SupervisorOptions { RunDirectory = data.Run, LogDirectory = data.Logs }, sp.GetRequiredService<ILogger<Supervisor>>(), time));
        builder.Services.AddSingleton(sp => new EtcdStore(
            new EtcdStoreOptions { Endpoints = StoreEndpoints(options) }, sp.GetRequiredService<ILogger<EtcdStore>>()));
        builder.Services.AddSingleton<IKeyValueStore>(sp => sp.GetRequiredService<EtcdStore>());
        builder.Services.AddSingleton<RecordStore>();
        builder.Services.AddSingleton<AppService>();
        builder.Services.AddSingleton<SecretService>();
        builder.Services.AddSingleton<VolumeService>();
        builder.Services.AddSingleton<VolumeClaims>();
        builder.Services.AddSingleton<PortAllocator>();
        builder.Services.AddSingleton<AttachmentService>();
        builder.Services.AddSingleton<VolumeReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VolumeReconciler>());
        builder.Services.AddSingleton<SnapshotReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SnapshotReconciler>());
        builder.Services.AddSingleton<RedisRuntime>();
        builder.Services.AddSingleton<RedisService>();
        builder.Services.AddSingleton<RedisReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisReconciler>());
        builder.Services.AddSingleton<ICheckProvider, RedisCheckProvider>();
        builder.Services.AddSingleton<Mpg.PgBouncerConsole>();
        builder.Services.AddSingleton<IClusterClientPause, Mpg.PoolPause>();
        builder.Services.AddSingleton<PostgresRuntime>();
        builder.Services.AddSingleton<PostgresSeeder>();
        builder.Services.AddSingleton<IPostgresNodes, PostgresNodes>();
        builder.Services.AddSingleton<IOnlineCopySource, PostgresOnlineCopy>();
        builder.Services.AddSingleton<PostgresService>();
        builder.Services.AddSingleton<PostgresReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresReconciler>());
        builder.Services.AddHostedService<PostgresLeaderWatch>();
        builder.Services.AddHostedService<PostgresDivergedReplicaRepair>();
        builder.Services.AddSingleton<Postgres.Autostop.PostgresAutostop>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Postgres.Autostop.PostgresAutostop>());
        builder.Services.AddSingleton<ICheckProvider, PostgresCheckProvider>();
        var s3 = new EmbeddedS3(options, data, authority, time);
        builder.Services.AddSingleton(s3);
        builder.Services.AddSingleton<StorageAdminClient>();
        builder.Services.AddSingleton<StorageService>();
        builder.Services.AddSingleton<StorageReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageReconciler>());
        builder.Services.AddSingleton<StorageSecrets>();
        builder.Services.AddSingleton<StorageKeyReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageKeyReconciler>());
        builder.Services.AddSingleton<ICheckProvider, StorageCheckProvider>();
        // Backups (pgBackRest into a system bucket per cluster): repository, restore seed, service, scheduler, check.
        builder.Services.AddSingleton<Postgres.Backups.PostgresBackupRepository>();
        builder.Services.AddSingleton<Postgres.Backups.PgBackRestRestorer>();
        builder.Services.AddSingleton<Postgres.Backups.PostgresBackupService>();
        builder.Services.AddHostedService<Postgres.Backups.PostgresBackupScheduler>();
        builder.Services.AddSingleton<ICheckProvider, Postgres.Backups.PostgresBackupCheckProvider>();
        builder.Services.AddSingleton<Mpg.MpgRuntime>();
        builder.Services.AddSingleton<Mpg.MpgService>();
        builder.Services.AddSingleton<Mpg.MpgReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Mpg.MpgReconciler>());
        builder.Services.AddSingleton<Litestream>();
        builder.Services.AddSingleton<SqliteService>();
        builder.Services.AddSingleton<SqliteReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SqliteReconciler>());
        builder.Services.AddSingleton<ICheckProvider, SqliteCheckProvider>();
        // The dashboard: sessions, its Prometheus reader, the cluster operations its buttons start, and one type per page.
        builder.Services.AddSingleton<DashboardSessions>();
        builder.Services.AddSingleton<PrometheusQueries>();
        builder.Services.AddSingleton<DashboardOperations>();
        builder.Services.AddSingleton<BucketObjects>();
        builder.Services.AddSingleton<OverviewPage>();
        builder.Services.AddSingleton<PostgresPage>();
        builder.Services.AddSingleton<RedisPage>();
        builder.Services.AddSingleton<BucketPage>();
        builder.Services.AddSingleton<VolumesPage>();
        // Metrics: the daemon's own (/metrics), the exporters it supervises, service discovery, the embedded Prometheus.
        builder.Services.AddSingleton(_ => new Hangar.Core.Metrics.PrometheusExporter(Metrics.DaemonMetrics.MeterName));
        builder.Services.AddSingleton<Metrics.Exporters>();
        builder.Services.AddSingleton<Metrics.MetricsRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Metrics.MetricsRefresher>());
        builder.Services.AddSingleton<Metrics.EmbeddedPrometheus>();

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hangar.Daemon");
        var supervisor = app.Services.GetRequiredService<Supervisor>();

        // Listening from the start, so counts made before the first scrape are kept.
        app.Services.GetRequiredService<Hangar.Core.Metrics.PrometheusExporter>();
        try
        {
            await StartStoreAsync(options, data, supervisor, app.Services.GetRequiredService<IKeyValueStore>(), probe, logger, say, cancellationToken);
            await PostgresAttachmentMigration.RunAsync(app.Services.GetRequiredService<RecordStore>(), cancellationToken);
            await StartS3Async(s3, app.Services.GetRequiredService<StorageAdminClient>(), supervisor, say, cancellationToken);

            app.UseMiddleware<ProblemMiddleware>();
            // The dashboard has its own door (session cookie, CSRF); every other route needs the bearer token.
            app.UseWhen(c => c.Request.Path.StartsWithSegments(DashboardAuthMiddleware.Prefix), b => b.UseMiddleware<DashboardAuthMiddleware>());
            app.UseWhen(c => !c.Request.Path.StartsWithSegments(DashboardAuthMiddleware.Prefix), b => b.UseMiddleware<TokenAuthMiddleware>());
            app.MapOpenApi();
            app.MapStatusEndpoints();
            app.MapAppEndpoints();
            app.MapSecretEndpoints();
            app.MapVolumeEndpoints();
            app.MapLogEndpoints();
            app.MapRedisEndpoints();
            app.MapPostgresEndpoints();
            Postgres.Backups.PostgresBackupEndpoints.MapPostgresBackupEndpoints(app);
            Mpg.MpgEndpoints.MapMpgEndpoints(app);
            app.MapCheckEndpoints();
            app.MapStorageEndpoints();
            app.MapSqliteEndpoints();
            app.MapCertificateEndpoints();
            app.MapDashboardEndpoints();
            Metrics.MetricsEndpoints.MapMetricsEndpoints(app);

            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var config = new ClientConfig(address, token.Value, data.Root);
            config.Write(data.ClientConfig);
            say($"Hangar API listening on {address}");
            say($"Client config written to {data.ClientConfig}");
            await StartPrometheusAsync(options, app.Services.GetRequiredService<Metrics.EmbeddedPrometheus>(), new Uri(address).Authority, supervisor, probe, say, cancellationToken);
            say(UserConfigFile.Update(config, ClientConfig.UserConfigPath));
            Log.Ready(logger, address, data.Root);
            await app.WaitForShutdownAsync(cancellationToken);
            Log.ShuttingDown(logger);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await supervisor.DisposeAsync();
        }

        return 0;
    }

    private static async Task StartStoreAsync(DaemonOptions options, DataDirectory data, Supervisor supervisor, IKeyValueStore store, HttpClient probe, ILogger logger, Action<string> say, CancellationToken cancellationToken)
    {
        if (options.EmbeddedEtcd)
        {
            var member = EmbeddedEtcd.Member(options, data);
            try
            {
                await supervisor.EnsureRunningAsync(EmbeddedEtcd.Spec(member, probe), cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new HangarException(ErrorCodes.Unavailable, $"the local etcd did not become ready on {member.ClientUrl}; see {supervisor.LogFileOf(EmbeddedEtcd.ProcessName)}");
            }

            say($"etcd ready on {member.ClientUrl} (data in {data.Etcd})");
            return;
        }

        var health = await store.HealthAsync(cancellationToken);
        if (!health.Healthy)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"etcd at {string.Join(",", options.EtcdEndpoints)} is not healthy: {health.Error}");
        }

        Log.JoinedEtcd(logger, string.Join(",", options.EtcdEndpoints));
    }

    /// <summary>Before the reconcilers: the storage reconciler talks to it from its first pass.</summary>
    private static async Task StartS3Async(EmbeddedS3 s3, StorageAdminClient admin, Supervisor supervisor, Action<string> say, CancellationToken cancellationToken)
    {
        try
        {
            await supervisor.EnsureRunningAsync(s3.Spec(admin.Http), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"the S3 server did not become ready on {s3.EndpointUrl}; see {supervisor.LogFileOf(Hangar.Core.Resources.BucketKeys.ProcessName)}");
        }

        say($"S3 ready on {s3.EndpointUrl}{(s3.HttpsEndpointUrl is { } https ? " and " + https : string.Empty)} (data in {s3.DataDir})");
    }

    /// <summary>After the API listens: the embedded Prometheus discovers its targets from the API's real address.</summary>
    private static async Task StartPrometheusAsync(DaemonOptions options, Metrics.EmbeddedPrometheus prometheus, string apiAuthority, Supervisor supervisor, HttpClient probe, Action<string> say, CancellationToken cancellationToken)
    {
        if (!options.EmbeddedPrometheus)
        {
            say(options.PrometheusUrl is { } external ? $"Metrics: querying the external Prometheus at {external}" : "Metrics: no Prometheus (--prometheus=false)");
            return;
        }

        try
        {
            await supervisor.EnsureRunningAsync(prometheus.Spec(apiAuthority, probe), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"Prometheus did not become ready on {options.PrometheusUrl}; see {supervisor.LogFileOf(Metrics.EmbeddedPrometheus.ProcessName)}");
        }

        // An adopted Prometheus still has the last daemon's config (its API port may have changed): reload it.
        using var reload = await probe.PostAsync(new Uri(options.PrometheusUrl + "/-/reload"), null, cancellationToken);
        say($"Prometheus ready on {options.PrometheusUrl} (data in {prometheus.DataDir}, retention {options.PrometheusRetention})");
    }

    private static List<Uri> StoreEndpoints(DaemonOptions options) =>
        options.EmbeddedEtcd ? [new Uri($"http://127.0.0.1:{options.EtcdClientPort}")] : [.. options.EtcdEndpoints.Select(e => new Uri(e))];

    private static ApiToken LoadToken(DataDirectory data)
    {
        if (File.Exists(data.ClientConfig))
        {
            return new ApiToken(ClientConfig.Read(data.ClientConfig).Token);
        }

        return ApiToken.New();
    }

    /// <summary>"HOST:PORT" with an IP host (servers bind to explicit addresses, loopback by default).</summary>
    public static (System.Net.IPAddress Host, int Port) ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !System.Net.IPAddress.TryParse(listen[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(listen[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            throw HangarException.Invalid($"invalid --api-listen '{listen}': expected IP:PORT, for example 127.0.0.1:4280");
        }

        return (address, port);
    }

    private static partial class Log
    {
        [LoggerMessage(2011, LogLevel.Information, "daemon ready: API on {Address}, data in {DataDir}")]
        public static partial void Ready(ILogger logger, string address, string dataDir);

        [LoggerMessage(2012, LogLevel.Information, "daemon shutting down: stopping reconcilers, the API and every supervised process")]
        public static partial void ShuttingDown(ILogger logger);

        [LoggerMessage(2013, LogLevel.Information, "using the existing etcd cluster at {Endpoints}")]
        public static partial void JoinedEtcd(ILogger logger, string endpoints);
    }
}
