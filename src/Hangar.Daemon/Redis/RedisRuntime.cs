using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Security;
using Hangar.Redis;
using Hangar.Redis.Config;
using Hangar.Redis.Files;
using Hangar.Redis.Resp;
using Hangar.Supervision;
using Hangar.Volumes;

namespace Hangar.Daemon.Redis;

/// <summary>
/// What the Redis service and reconciler both need about a running instance: where it listens, its passwords (sealed
/// by the SecretBox), its files and process spec, and an admin connection. Config files live in DATA/redis/NAME; data
/// on the volume.
/// </summary>
internal sealed class RedisRuntime(VolumeDisk disk, SecretBox box, DaemonOptions options, DataDirectory data)
{
    public const string ServerPath = "/usr/bin/redis-server";
    public const string SystemUser = "redis";
    public const string PasswordSecret = "password";
    public const string AdminPasswordSecret = "admin-password";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    // Resolved once: when the daemon is not root the supervisor runs children as the daemon's own user anyway.
    private readonly FileOwner? _owner = Signals.IsRoot ? FileOwner.Lookup(SystemUser) : null;

    public string Host => options.AdvertiseAddress;

    public string InstanceDirectory(string name) => Path.Combine(data.Redis, name);

    public string Password(RedisRecord redis) => box.Decrypt(RedisKeys.Owner(redis.Name), PasswordSecret, redis.PasswordCiphertext);

    /// <summary>The password of the daemon's admin ACL user (INFO, CONFIG), which redis_exporter logs in as.</summary>
    public string AdminPassword(RedisRecord redis) => box.Decrypt(RedisKeys.Owner(redis.Name), AdminPasswordSecret, redis.AdminPasswordCiphertext);

    public string EncryptPassword(string name, string secret, string value) => box.Encrypt(RedisKeys.Owner(name), secret, value);

    public string? VolumePath(RedisRecord redis) => redis.VolumeId is { } id ? disk.PathOf(id) : null;

    /// <summary>A connection as the daemon's admin ACL user, for INFO and CONFIG SET.</summary>
    public async Task<RespConnection> AdminAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        var port = redis.Port ?? throw new InvalidOperationException($"redis {redis.Name} has no port yet");
        var password = AdminPassword(redis);
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

    public RedisSettings Settings(RedisRecord redis)
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
    public bool WriteFiles(RedisRecord redis)
    {
        var settings = Settings(redis);
        var parent = data.Redis;
        Directory.CreateDirectory(parent);
        File.SetUnixFileMode(parent, Core.Unix.FileModes.PassThroughDirectory);
        InstanceFiles.EnsureDirectory(InstanceDirectory(redis.Name), _owner);
        InstanceFiles.EnsureDirectory(settings.DataDirectory, _owner);
        var admin = AdminPassword(redis);
        var acl = InstanceFiles.WriteIfChanged(settings.AclFile, RedisAcl.Render(redis.User, Password(redis), admin), _owner);
        var conf = InstanceFiles.WriteIfChanged(settings.ConfigPath, RedisConfigFile.Render(settings), _owner);
        return acl || conf;
    }

    public void DeleteFiles(RedisRecord redis)
    {
        if (Directory.Exists(InstanceDirectory(redis.Name)))
        {
            Directory.Delete(InstanceDirectory(redis.Name), recursive: true);
        }
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
}
