using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Platform;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Security;
using Hangar.Daemon.Volumes;
using Hangar.Redis.Config;
using Hangar.Redis.Files;
using Hangar.Redis.Resp;
using Hangar.Redis;
using Hangar.State;
using Hangar.Supervision;
using Hangar.Volumes;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Redis;

/// <summary>
/// Makes redis-server processes match the Redis records. Pending: port, volume, config and ACL files, then the process
/// under the supervisor (each step idempotent, so a pass cut short by a killed daemon is finished by the next).
/// Running: keep it supervised (adopting it after a daemon restart) and apply updates live. Destroying and Failed:
/// remove the process, files, volume, port and attachments. Config files live in DATA/redis/NAME; data on the volume.
/// </summary>
internal sealed partial class RedisReconciler(
    IKeyValueStore kv,
    RecordStore store,
    Supervisor supervisor,
    VolumeService volumes,
    VolumeDisk disk,
    PortAllocator ports,
    AttachmentService attachments,
    SecretBox box,
    DaemonOptions options,
    DataDirectory data,
    ILogger<RedisReconciler> logger,
    TimeProvider clock)
    : ReconcileLoop(kv, logger, clock)
{
    public const string ServerPath = "/usr/bin/redis-server";
    public const string SystemUser = "redis";
    public const string PasswordSecret = "password";
    public const string AdminPasswordSecret = "admin-password";

    private static readonly TimeSpan AbandonedFailure = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    // Resolved once: when the daemon is not root the supervisor runs children as the daemon's own user anyway.
    private readonly FileOwner? _owner = Signals.IsRoot ? FileOwner.Lookup(SystemUser) : null;

    protected override string Name => "redis";

    protected override IReadOnlyList<string> WatchedPrefixes => [RedisKeys.Prefix];

    public string Host => options.AdvertiseAddress;

    public string InstanceDirectory(string name) => Path.Combine(data.Redis, name);

    public string Password(RedisRecord redis) => box.Decrypt(RedisKeys.Owner(redis.Name), PasswordSecret, redis.PasswordCiphertext);

    public string EncryptPassword(string name, string secret, string value) => box.Encrypt(RedisKeys.Owner(name), secret, value);

    public string? VolumePath(RedisRecord redis) => redis.VolumeId is { } id ? disk.PathOf(id) : null;

    /// <summary>A connection as the daemon's admin ACL user, for INFO and CONFIG SET.</summary>
    public async Task<RespConnection> AdminAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        var port = redis.Port ?? throw new InvalidOperationException($"redis {redis.Name} has no port yet");
        var password = box.Decrypt(RedisKeys.Owner(redis.Name), AdminPasswordSecret, redis.AdminPasswordCiphertext);
        return await RespConnection.OpenAsync(Host, port, RedisAcl.AdminUser, password, cancellationToken);
    }

    public ProcessSpec Spec(RedisRecord redis)
    {
        var config = Path.Combine(InstanceDirectory(redis.Name), "redis.conf");
        return new ProcessSpec
        {
            Name = RedisKeys.ProcessName(redis.Name),
            FileName = ServerPath,
            Arguments = [config],
            WorkingDirectory = InstanceDirectory(redis.Name),
            RunAsUser = _owner?.User,
            IdentityMarker = config,
            StopTimeout = TimeSpan.FromSeconds(30),
            Readiness = ct => ProbeAsync(redis, ct),
        };
    }

    protected override async Task PassAsync(bool resync, CancellationToken cancellationToken)
    {
        var records = await store.ListAsync<RedisRecord>(RedisKeys.Prefix, cancellationToken);
        foreach (var entry in records)
        {
            var redis = entry.Value;
            try
            {
                switch (redis.Phase)
                {
                    case RedisPhase.Pending:
                        await ProvisionAsync(redis, cancellationToken);
                        break;
                    case RedisPhase.Running:
                        await KeepRunningAsync(redis, cancellationToken);
                        break;
                    case RedisPhase.Destroying:
                        await TearDownAsync(redis, cancellationToken);
                        await Store.DeleteAsync(RedisKeys.Instance(redis.Name), cancellationToken);
                        Log.Destroyed(Logger, redis.Name);
                        break;
                    case RedisPhase.Failed when redis.FailedAt is { } failedAt && Time.GetUtcNow() - failedAt > AbandonedFailure:
                        // The create that saw the failure would have deleted the record; it died, so we do.
                        await TearDownAsync(redis, cancellationToken);
                        await Store.DeleteAsync(RedisKeys.Instance(redis.Name), cancellationToken);
                        Log.AbandonedFailure(Logger, redis.Name);
                        break;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.StepFailed(Logger, redis.Name, redis.Phase.ToString().ToLowerInvariant(), ex.Message);
            }
        }

        if (resync)
        {
            // A process nothing asks for any more (its record vanished without a teardown) is stopped.
            var names = records.Select(r => RedisKeys.ProcessName(r.Value.Name)).ToHashSet(StringComparer.Ordinal);
            foreach (var process in supervisor.List().Where(p => p.Name.StartsWith("redis-", StringComparison.Ordinal) && !names.Contains(p.Name)))
            {
                Log.StoppingOrphan(Logger, process.Name);
                await supervisor.StopAsync(process.Name, cancellationToken);
            }
        }
    }

    private async Task ProvisionAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        var owner = RedisKeys.Owner(redis.Name);
        try
        {
            var port = (await ports.EnsureAsync(owner, 1, cancellationToken))[0];
            var volume = await volumes.EnsureAttachedAsync(RedisKeys.ProcessName(redis.Name), RedisPlan.VolumeSizeGb(redis.MaxMemoryMb), owner, cancellationToken);
            redis = await store.MutateAsync<RedisRecord>(RedisKeys.Instance(redis.Name), r => r with { Port = port, VolumeId = volume.Id }, cancellationToken)
                ?? throw new InvalidOperationException($"redis {redis.Name} disappeared while being created");
            WriteFiles(redis);
            await supervisor.EnsureRunningAsync(Spec(redis), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = ex is TimeoutException
                ? $"redis-server for {redis.Name} did not become ready; see `hangar logs -a {redis.Name}`"
                : $"redis {redis.Name} could not be created: {ex.Message}";
            Log.ProvisionFailed(Logger, redis.Name, reason);
            await TearDownAsync(redis, cancellationToken);
            await store.MutateAsync<RedisRecord>(RedisKeys.Instance(redis.Name), r => r with { Phase = RedisPhase.Failed, Error = reason, FailedAt = Time.GetUtcNow() }, cancellationToken);
            return;
        }

        await store.MutateAsync<RedisRecord>(RedisKeys.Instance(redis.Name), r => r.Phase == RedisPhase.Pending ? r with { Phase = RedisPhase.Running, AppliedGeneration = r.Generation } : null, cancellationToken);
        Log.Provisioned(Logger, redis.Name, redis.Port ?? 0, redis.VolumeId ?? "-");
    }

    private async Task KeepRunningAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        var rewritten = WriteFiles(redis);
        await supervisor.EnsureStartedAsync(Spec(redis), cancellationToken);
        if (redis.AppliedGeneration >= redis.Generation)
        {
            return;
        }

        // The file already says the new values, so a restart keeps them; CONFIG SET makes them true now.
        await using (var admin = await AdminAsync(redis, cancellationToken))
        {
            var reply = await admin.SendAsync(["CONFIG", "SET", .. RedisConfigFile.LiveSettings(Settings(redis))], cancellationToken);
            if (reply.IsError)
            {
                throw new InvalidOperationException($"CONFIG SET refused: {reply.Text}");
            }
        }

        var generation = redis.Generation;
        await store.MutateAsync<RedisRecord>(RedisKeys.Instance(redis.Name), r => r with { AppliedGeneration = Math.Max(r.AppliedGeneration, generation) }, cancellationToken);
        Log.Updated(Logger, redis.Name, redis.MaxMemoryMb, RedisPlan.EvictionPolicy(redis.Eviction), rewritten);
    }

    /// <summary>Everything an instance had, gone; safe to run again and on a half-made instance.</summary>
    private async Task TearDownAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        var spec = Spec(redis);
        await supervisor.StopAsync(spec.Name, cancellationToken);
        await supervisor.StopOrphanAsync(spec, cancellationToken);
        foreach (var attachment in await attachments.OfResourceAsync(RedisKeys.Kind, redis.Name, cancellationToken))
        {
            await attachments.DetachAsync(attachment.App, RedisKeys.Kind, redis.Name, cancellationToken);
        }

        await volumes.DestroyAttachedAsync(RedisKeys.Owner(redis.Name), cancellationToken);
        await ports.ReleaseAsync(RedisKeys.Owner(redis.Name), cancellationToken);
        if (Directory.Exists(InstanceDirectory(redis.Name)))
        {
            Directory.Delete(InstanceDirectory(redis.Name), recursive: true);
        }
    }

    private RedisSettings Settings(RedisRecord redis)
    {
        var dir = InstanceDirectory(redis.Name);
        return new RedisSettings
        {
            ConfigPath = Path.Combine(dir, "redis.conf"),
            BindAddress = Host,
            Port = redis.Port ?? throw new InvalidOperationException($"redis {redis.Name} has no port yet"),
            DataDirectory = VolumePath(redis) ?? throw new InvalidOperationException($"redis {redis.Name} has no volume yet"),
            AclFile = Path.Combine(dir, "users.acl"),
            MaxMemoryMb = redis.MaxMemoryMb,
            Eviction = redis.Eviction,
            Persistence = redis.Persistence,
        };
    }

    /// <summary>Writes redis.conf and users.acl (0600, owned by the redis user); true when either changed.</summary>
    private bool WriteFiles(RedisRecord redis)
    {
        var settings = Settings(redis);
        var parent = data.Redis;
        Directory.CreateDirectory(parent);
        File.SetUnixFileMode(parent, Core.Unix.FileModes.PassThroughDirectory);
        InstanceFiles.EnsureDirectory(InstanceDirectory(redis.Name), _owner);
        InstanceFiles.EnsureDirectory(settings.DataDirectory, _owner);
        var admin = box.Decrypt(RedisKeys.Owner(redis.Name), AdminPasswordSecret, redis.AdminPasswordCiphertext);
        var acl = InstanceFiles.WriteIfChanged(settings.AclFile, RedisAcl.Render(redis.User, Password(redis), admin), _owner);
        var conf = InstanceFiles.WriteIfChanged(settings.ConfigPath, RedisConfigFile.Render(settings), _owner);
        return acl || conf;
    }

    private async Task<bool> ProbeAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        await using var admin = await AdminAsync(redis, timeout.Token);

        // While it loads the AOF, PING answers -LOADING: not ready yet.
        var pong = await admin.SendAsync(["PING"], timeout.Token);
        return pong is { Kind: RespKind.SimpleString, Text: "PONG" };
    }

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Information, "redis {Name}: running on port {Port}, data on volume {VolumeId}")]
        public static partial void Provisioned(ILogger logger, string name, int port, string volumeId);

        [LoggerMessage(5002, LogLevel.Warning, "redis {Name}: create failed, removed what was made: {Reason}")]
        public static partial void ProvisionFailed(ILogger logger, string name, string reason);

        [LoggerMessage(5003, LogLevel.Information, "redis {Name}: destroyed (process, volume, port, attachments)")]
        public static partial void Destroyed(ILogger logger, string name);

        [LoggerMessage(5004, LogLevel.Information, "redis {Name}: applied maxmemory {MaxMemoryMb} MB, policy {Policy} (files rewritten: {Rewritten})")]
        public static partial void Updated(ILogger logger, string name, int maxMemoryMb, string policy, bool rewritten);

        [LoggerMessage(5005, LogLevel.Warning, "redis {Name}: {Phase} step failed, retrying next pass: {Reason}")]
        public static partial void StepFailed(ILogger logger, string name, string phase, string reason);

        [LoggerMessage(5006, LogLevel.Information, "redis {Name}: failed create was abandoned by its caller; removed its record")]
        public static partial void AbandonedFailure(ILogger logger, string name);

        [LoggerMessage(5007, LogLevel.Warning, "process {Process} has no Redis record; stopping it")]
        public static partial void StoppingOrphan(ILogger logger, string process);
    }
}
