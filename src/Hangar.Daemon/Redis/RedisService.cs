using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Ids;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Reconcile;
using Hangar.Redis.Resp;
using Hangar.Redis.Status;
using Hangar.Redis;
using Hangar.State;
using Hangar.Supervision;

namespace Hangar.Daemon.Redis;

/// <summary>
/// Redis verbs. Create, update and destroy write desired state and wait for <see cref="RedisReconciler"/>;
/// status and checks ask the running server itself (INFO, as the daemon's admin ACL user).
/// </summary>
internal sealed class RedisService(RecordStore store, RedisRuntime runtime, AttachmentService attachments, AppService apps, Supervisor supervisor, DaemonOptions options, TimeProvider time)
{
    public const string AppUser = "app";
    public const string DefaultVariable = "REDIS_URL";

    private static readonly TimeSpan CreateLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan UpdateLimit = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);
    private readonly RecordWait _wait = new(store, time);

    public async Task<RedisCreated> CreateAsync(RedisCreateRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("redis", request.Name));
        problems.Add(request.Region is null ? null : ResourceNames.Problem("region", request.Region));
        RedisPlan.CheckMaxMemory(request.MaxMemoryMb, problems);
        var persistence = RedisPlan.ParsePersistence(request.Persistence, problems) ?? RedisPersistence.Aof;
        problems.ThrowIfAny();

        var name = request.Name;
        var redis = new RedisRecord
        {
            Name = name,
            Region = request.Region ?? options.Region,
            MaxMemoryMb = request.MaxMemoryMb ?? RedisPlan.DefaultMaxMemoryMb,
            Eviction = request.Eviction ?? false,
            Persistence = persistence,
            CreatedAt = time.GetUtcNow(),
            User = AppUser,
            PasswordCiphertext = runtime.EncryptPassword(name, RedisRuntime.PasswordSecret, Passwords.New(32)),
            AdminPasswordCiphertext = runtime.EncryptPassword(name, RedisRuntime.AdminPasswordSecret, Passwords.New(32)),
        };
        if (!await store.CreateAsync(RedisKeys.Instance(name), redis, cancellationToken))
        {
            throw HangarException.Exists("redis", name);
        }

        var done = await _wait.CreatedAsync<RedisRecord>(
            RedisKeys.Instance(name),
            r => r.Phase == RedisPhase.Pending,
            r => r.Phase == RedisPhase.Failed ? r.Error ?? $"redis '{name}' could not be created" : null,
            r => r with { Phase = RedisPhase.Destroying },
            CreateLimit,
            Busy,
            () => HangarException.NotFound("redis", name),
            cancellationToken);

        return new RedisCreated(Info(done, []), Url(done));
    }

    public async Task<IReadOnlyList<RedisInstanceInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await store.ListAsync<RedisRecord>(RedisKeys.Prefix, cancellationToken);
        var attached = (await store.ListAsync<AttachmentRecord>(StoreKeys.Attachments, cancellationToken)).Select(a => a.Value).Where(a => a.Kind == RedisKeys.Kind).ToList();
        return [.. all.Select(r => r.Value).OrderBy(r => r.CreatedAt)
            .Select(r => Info(r, [.. attached.Where(a => a.Name == r.Name).Select(a => a.App)]))];
    }

    public async Task<RedisStatusInfo> StatusAsync(string name, CancellationToken cancellationToken)
    {
        var redis = await RequireAsync(name, cancellationToken);
        var apps = (await attachments.OfResourceAsync(RedisKeys.Kind, name, cancellationToken)).Select(a => a.App).ToList();
        var process = supervisor.Status(RedisKeys.ProcessName(name));
        var status = new RedisStatusInfo
        {
            Instance = Info(redis, apps),
            ProcessState = process?.State.ToString().ToLowerInvariant() ?? "not supervised",
            Pid = process?.Pid,
            Restarts = process?.Restarts ?? 0,
            Adopted = process?.Adopted ?? false,
        };

        var (info, error) = await InfoAsync(redis, cancellationToken);
        if (info is null)
        {
            return status with { Unreachable = error };
        }

        var lastSave = info.Long("rdb_last_save_time");
        return status with
        {
            Version = info.Text("redis_version"),
            UptimeSeconds = info.Long("uptime_in_seconds"),
            UsedMemoryBytes = info.Long("used_memory"),
            MaxMemoryBytes = info.Long("maxmemory"),
            Keys = info.Keys(),
            EvictedKeys = info.Long("evicted_keys"),
            ConnectedClients = info.Long("connected_clients"),
            OpsPerSecond = info.Long("instantaneous_ops_per_sec"),
            AofEnabled = info.Long("aof_enabled") == 1,
            AofLastWriteStatus = info.Text("aof_last_write_status"),
            RdbLastSaveStatus = info.Text("rdb_last_bgsave_status"),
            LastSaveAt = lastSave is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
            ChangesSinceLastSave = info.Long("rdb_changes_since_last_save"),
        };
    }

    public async Task<RedisCredentials> CredentialsAsync(string name, CancellationToken cancellationToken)
    {
        var redis = await RequireRunningAsync(name, cancellationToken);
        return new RedisCredentials(runtime.Host, redis.Port!.Value, redis.User, runtime.Password(redis), Url(redis));
    }

    public async Task<RedisInstanceInfo> UpdateAsync(string name, RedisUpdateRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("redis", name));
        RedisPlan.CheckMaxMemory(request.MaxMemoryMb, problems);
        problems.Check(request.MaxMemoryMb is not null || request.Eviction is not null, "nothing to update: pass --maxmemory, --enable-eviction or --disable-eviction");
        problems.ThrowIfAny();

        await RequireRunningAsync(name, cancellationToken);
        var updated = await store.MutateAsync<RedisRecord>(RedisKeys.Instance(name), r => r with
        {
            MaxMemoryMb = request.MaxMemoryMb ?? r.MaxMemoryMb,
            Eviction = request.Eviction ?? r.Eviction,
            Generation = r.Generation + 1,
        }, cancellationToken) ?? throw HangarException.NotFound("redis", name);

        var done = await _wait.UntilAsync<RedisRecord>(RedisKeys.Instance(name), r => r is null || r.AppliedGeneration >= updated.Generation, UpdateLimit, Busy, cancellationToken)
            ?? throw HangarException.NotFound("redis", name);
        var apps = (await attachments.OfResourceAsync(RedisKeys.Kind, name, cancellationToken)).Select(a => a.App).ToList();
        return Info(done, apps);
    }

    public async Task AttachAsync(string name, RedisAttachRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("redis", name));
        problems.Add(ResourceNames.Problem("app", request.App));
        problems.ThrowIfAny();

        var redis = await RequireRunningAsync(name, cancellationToken);
        if ((await attachments.OfResourceAsync(RedisKeys.Kind, name, cancellationToken)).Any(a => a.App == request.App))
        {
            throw HangarException.Exists($"attachment of redis '{name}' to app", request.App);
        }

        var variable = request.VariableName ?? DefaultVariable;
        await attachments.AttachAsync(request.App, RedisKeys.Kind, name, new Dictionary<string, string> { [variable] = Url(redis) }, cancellationToken);
    }

    public async Task DetachAsync(string name, string app, CancellationToken cancellationToken)
    {
        await RequireAsync(name, cancellationToken);
        await apps.RequireAsync(app, cancellationToken);
        if (!await attachments.DetachAsync(app, RedisKeys.Kind, name, cancellationToken))
        {
            throw new HangarException(ErrorCodes.NotFound, $"redis '{name}' is not attached to app '{app}'");
        }
    }

    public async Task DestroyAsync(string name, bool force, CancellationToken cancellationToken)
    {
        await RequireAsync(name, cancellationToken);
        var attached = await attachments.OfResourceAsync(RedisKeys.Kind, name, cancellationToken);
        if (attached.Count > 0 && !force)
        {
            throw HangarException.Precondition($"redis '{name}' is attached to {string.Join(", ", attached.Select(a => "app '" + a.App + "'"))}: detach it first, or pass --force");
        }

        // The reconciler detaches, stops, and removes the volume and port: a destroy cut short is finished by the next pass.
        await store.MutateAsync<RedisRecord>(RedisKeys.Instance(name), r => r with { Phase = RedisPhase.Destroying }, cancellationToken);
        await _wait.UntilAsync<RedisRecord>(RedisKeys.Instance(name), r => r is null, CreateLimit, Busy, cancellationToken);
    }

    /// <summary>The "redis" and "vm" checks of instance <paramref name="name"/>; null when there is no such instance.</summary>
    public async Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(name) || (await store.GetAsync<RedisRecord>(RedisKeys.Instance(name), cancellationToken))?.Value is not { } redis)
        {
            return null;
        }

        var resource = RedisKeys.Owner(name);
        var now = time.GetUtcNow();
        return [await RedisCheckAsync(redis, resource, now, cancellationToken), VmCheck(redis, resource, now)];
    }

    private async Task<CheckInfo> RedisCheckAsync(RedisRecord redis, string resource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (redis.Phase != RedisPhase.Running || redis.Port is not { } port)
        {
            return new CheckInfo("redis", "critical", $"instance is {redis.Phase.ToString().ToLowerInvariant()}", resource, now);
        }

        // PING as the app user: proves the credentials apps hold are accepted, not only that the port is open.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(QueryTimeout);
        try
        {
            await using var connection = await RespConnection.OpenAsync(runtime.Host, port, redis.User, runtime.Password(redis), timeout.Token);
            var pong = await connection.SendAsync(["PING"], timeout.Token);
            if (pong.Text != "PONG")
            {
                return new CheckInfo("redis", "critical", $"PING answered {pong}", resource, now);
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or RespProtocolException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new CheckInfo("redis", "critical", $"PING as {redis.User} failed: {ex.Message}", resource, now);
        }

        var (info, error) = await InfoAsync(redis, cancellationToken);
        if (info is null)
        {
            return new CheckInfo("redis", "warning", $"PING ok; INFO failed: {error}", resource, now);
        }

        var used = info.Long("used_memory") ?? 0;
        var max = info.Long("maxmemory") ?? 0;
        var memory = $"memory {Bytes(used)} of {Bytes(max)}";
        return max > 0 && used >= max * 95 / 100
            ? new CheckInfo("redis", "warning", $"PING ok; {memory}: at maxmemory ({RedisPlan.EvictionPolicy(redis.Eviction)})", resource, now)
            : new CheckInfo("redis", "passing", $"PING ok; {memory}", resource, now);
    }

    private CheckInfo VmCheck(RedisRecord redis, string resource, DateTimeOffset now)
    {
        if (runtime.VolumePath(redis) is not { } path || !Directory.Exists(path))
        {
            return new CheckInfo("vm", "critical", "the instance's volume is missing", resource, now);
        }

        var drive = new DriveInfo(path);
        var free = drive.AvailableFreeSpace;
        var total = Math.Max(1, drive.TotalSize);
        var percent = free * 100.0 / total;
        var output = $"{Bytes(free)} free of {Bytes(total)} ({percent:0.#}%) on the volume's filesystem";
        return new CheckInfo("vm", percent > 10 ? "passing" : "critical", output, resource, now);
    }

    private async Task<(InfoReply? Info, string? Error)> InfoAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        if (redis.Phase != RedisPhase.Running || redis.Port is null)
        {
            return (null, $"instance is {redis.Phase.ToString().ToLowerInvariant()}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(QueryTimeout);
        try
        {
            await using var admin = await runtime.AdminAsync(redis, timeout.Token);
            var reply = await admin.SendAsync(["INFO"], timeout.Token);
            return reply.IsError ? (null, reply.Text) : (InfoReply.Parse(reply.Text ?? string.Empty), null);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or RespProtocolException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, ex is OperationCanceledException ? "no answer within 3s" : ex.Message);
        }
    }

    private RedisInstanceInfo Info(RedisRecord r, IReadOnlyList<string> attachedApps) => new(
        r.Name,
        r.Region,
        r.Phase.ToString().ToLowerInvariant(),
        runtime.Host,
        r.Port,
        r.MaxMemoryMb,
        RedisPlan.EvictionPolicy(r.Eviction),
        r.Persistence.ToString().ToLowerInvariant(),
        r.User,
        r.VolumeId,
        attachedApps,
        r.CreatedAt,
        r.Error);

    private string Url(RedisRecord redis)
    {
        var host = runtime.Host.Contains(':', StringComparison.Ordinal) ? "[" + runtime.Host + "]" : runtime.Host;
        return $"redis://{redis.User}:{runtime.Password(redis)}@{host}:{redis.Port}";
    }

    private async Task<RedisRecord> RequireAsync(string name, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("redis", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        return (await store.GetAsync<RedisRecord>(RedisKeys.Instance(name), cancellationToken))?.Value ?? throw HangarException.NotFound("redis", name);
    }

    private async Task<RedisRecord> RequireRunningAsync(string name, CancellationToken cancellationToken)
    {
        var redis = await RequireAsync(name, cancellationToken);
        return redis.Phase == RedisPhase.Running
            ? redis
            : throw HangarException.Precondition($"redis '{name}' is {redis.Phase.ToString().ToLowerInvariant()}, not running");
    }

    private static string Busy(RedisRecord? r) => $"redis '{r?.Name}' is still {r?.Phase.ToString().ToLowerInvariant()}{(r?.Step is { } step ? " (" + step + ")" : string.Empty)}";

    private static string Bytes(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024.0 / 1024:0.#} MiB" : $"{bytes / 1024.0:0.#} KiB";
}
