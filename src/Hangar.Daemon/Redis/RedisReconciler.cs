using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Platform;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Volumes;
using Hangar.Redis;
using Hangar.Redis.Config;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Redis;

/// <summary>
/// Makes redis-server processes match the Redis records, one step per instance. Pending: port and volume asked for
/// (volume-requested, until the volume reconciler made it), files written and the process started (starting, until
/// it answers PING), then Running. Running: keep it supervised (adopting it after a daemon restart) and apply
/// updates live. Failed: kept for the caller to read, then destroyed when nobody did. Destroying: remove the process,
/// files, volume, port, attachments and the record.
/// </summary>
internal sealed partial class RedisReconciler(
    IKeyValueStore kv,
    RecordStore store,
    Supervisor supervisor,
    VolumeClaims volumes,
    PortAllocator ports,
    AttachmentService attachments,
    RedisRuntime runtime,
    ILogger<RedisReconciler> logger,
    TimeProvider clock)
    : PhasedReconciler<RedisRecord>(kv, store, logger, clock)
{
    public const string VolumeRequested = "volume-requested";
    public const string Starting = "starting";

    private static readonly TimeSpan VolumeLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    protected override string Name => "redis";

    protected override IReadOnlyList<string> WatchedPrefixes => [RedisKeys.Prefix];

    protected override string RecordPrefix => RedisKeys.Prefix;

    protected override string KeyOf(RedisRecord record) => RedisKeys.Instance(record.Name);

    protected override string NameOf(RedisRecord record) => record.Name;

    protected override string PhaseOf(RedisRecord record) => record.Phase.ToString().ToLowerInvariant();

    protected override StepMark MarkOf(RedisRecord record) => new(record.Step, record.StepSince);

    protected override RedisRecord WithMark(RedisRecord record, StepMark mark) => record with { Step = mark.SubPhase, StepSince = mark.Since };

    protected override Task<StepResult> StepAsync(RedisRecord redis, CancellationToken cancellationToken) => redis.Phase switch
    {
        RedisPhase.Pending => ProvisionAsync(redis, cancellationToken),
        RedisPhase.Running => KeepRunningAsync(redis, cancellationToken),
        RedisPhase.Destroying => DestroyAfterAsync(redis, () => TearDownAsync(redis, cancellationToken), "process, volume, port, attachments", cancellationToken),
        RedisPhase.Failed => AbandonUnreadFailureAsync(redis, redis.FailedAt, r => r.Phase == RedisPhase.Failed ? r with { Phase = RedisPhase.Destroying } : null, cancellationToken),
        _ => Task.FromResult(StepResult.Done("no action")),
    };

    protected override bool FailsOnError(RedisRecord record, Exception error) => record.Phase == RedisPhase.Pending;

    protected override string FailureReason(RedisRecord record, Exception error) => $"redis {record.Name} could not be created: {error.Message}";

    protected override string OverdueReason(RedisRecord record, StepResult result, TimeSpan limit) => result.SubPhase == Starting
        ? $"redis-server for {record.Name} did not become ready; see `hangar logs -a {record.Name}`"
        : base.OverdueReason(record, result, limit);

    protected override async Task FailAsync(RedisRecord redis, string reason, CancellationToken cancellationToken)
    {
        Log.ProvisionFailed(Logger, redis.Name, reason);
        await TearDownAsync(redis, cancellationToken);
        await Records.MutateAsync<RedisRecord>(KeyOf(redis), r => r.Phase == RedisPhase.Pending ? r with { Phase = RedisPhase.Failed, Error = reason, FailedAt = Time.GetUtcNow() } : null, cancellationToken);
    }

    protected override async Task AfterPassAsync(IReadOnlyList<RedisRecord> records, bool resync, CancellationToken cancellationToken)
    {
        if (!resync)
        {
            return;
        }

        // A process nothing asks for any more (its record vanished without a teardown) is stopped.
        var names = records.Select(r => RedisKeys.ProcessName(r.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var process in supervisor.List().Where(p => p.Name.StartsWith("redis-", StringComparison.Ordinal) && !names.Contains(p.Name)))
        {
            Log.StoppingOrphan(Logger, process.Name);
            await supervisor.StopAsync(process.Name, cancellationToken);
        }
    }

    private async Task<StepResult> ProvisionAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        var owner = RedisKeys.Owner(redis.Name);
        if (redis.Port is null || redis.VolumeId is null)
        {
            var port = (await ports.EnsureAsync(owner, 1, cancellationToken))[0];
            var claimed = await volumes.ClaimAsync(RedisKeys.ProcessName(redis.Name), RedisPlan.VolumeSizeGb(redis.MaxMemoryMb), owner, cancellationToken);
            await Records.MutateAsync<RedisRecord>(KeyOf(redis), r => r with { Port = port, VolumeId = claimed.Id }, cancellationToken);
            return StepResult.Requeue(Poll, VolumeRequested, $"port {port} taken, volume {claimed.Id} asked for", VolumeLimit);
        }

        var volume = await volumes.GetAsync(redis.VolumeId, cancellationToken)
            ?? throw new InvalidOperationException($"volume {redis.VolumeId} is gone");
        switch (volume.Phase)
        {
            case VolumePhase.Pending:
                return StepResult.Requeue(Poll, VolumeRequested, $"waiting for volume {volume.Id}", VolumeLimit);
            case not VolumePhase.Created:
                throw new InvalidOperationException($"volume {volume.Id} is {volume.Phase.ToString().ToLowerInvariant()}: {volume.Error}");
        }

        runtime.WriteFiles(redis);
        await supervisor.EnsureStartedAsync(runtime.Spec(redis), cancellationToken);
        if (supervisor.Status(RedisKeys.ProcessName(redis.Name)) is not { Ready: true })
        {
            return StepResult.Requeue(Poll, Starting, "redis-server started, waiting for PING", StartLimit);
        }

        await Records.MutateAsync<RedisRecord>(KeyOf(redis), r => r.Phase == RedisPhase.Pending ? r with { Phase = RedisPhase.Running, AppliedGeneration = r.Generation } : null, cancellationToken);
        Log.Provisioned(Logger, redis.Name, redis.Port ?? 0, redis.VolumeId);
        return StepResult.Done($"running on port {redis.Port}");
    }

    private async Task<StepResult> KeepRunningAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        var rewritten = runtime.WriteFiles(redis);
        await supervisor.EnsureStartedAsync(runtime.Spec(redis), cancellationToken);
        if (redis.AppliedGeneration >= redis.Generation)
        {
            return StepResult.Done(rewritten ? "files rewritten, supervised" : "supervised, no action");
        }

        // The file already says the new values, so a restart keeps them; CONFIG SET makes them true now.
        await using (var admin = await runtime.AdminAsync(redis, cancellationToken))
        {
            var reply = await admin.SendAsync(["CONFIG", "SET", .. RedisConfigFile.LiveSettings(runtime.Settings(redis))], cancellationToken);
            if (reply.IsError)
            {
                throw new InvalidOperationException($"CONFIG SET refused: {reply.Text}");
            }
        }

        var generation = redis.Generation;
        await Records.MutateAsync<RedisRecord>(KeyOf(redis), r => r with { AppliedGeneration = Math.Max(r.AppliedGeneration, generation) }, cancellationToken);
        Log.Updated(Logger, redis.Name, redis.MaxMemoryMb, RedisPlan.EvictionPolicy(redis.Eviction), rewritten);
        return StepResult.Done($"generation {generation} applied");
    }

    /// <summary>Everything an instance had, gone; safe to run again and on a half-made instance.</summary>
    private async Task TearDownAsync(RedisRecord redis, CancellationToken cancellationToken)
    {
        var spec = runtime.Spec(redis);
        await supervisor.StopAsync(spec.Name, cancellationToken);
        await supervisor.StopOrphanAsync(spec, cancellationToken);
        foreach (var attachment in await attachments.OfResourceAsync(RedisKeys.Kind, redis.Name, cancellationToken))
        {
            await attachments.DetachAsync(attachment.App, RedisKeys.Kind, redis.Name, cancellationToken);
        }

        await volumes.ReleaseAsync(RedisKeys.Owner(redis.Name), cancellationToken);
        await ports.ReleaseAsync(RedisKeys.Owner(redis.Name), cancellationToken);
        runtime.DeleteFiles(redis);
    }

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Information, "redis {Name}: running on port {Port}, data on volume {VolumeId}")]
        public static partial void Provisioned(ILogger logger, string name, int port, string volumeId);

        [LoggerMessage(5002, LogLevel.Warning, "redis {Name}: create failed, removed what was made: {Reason}")]
        public static partial void ProvisionFailed(ILogger logger, string name, string reason);

        [LoggerMessage(5004, LogLevel.Information, "redis {Name}: applied maxmemory {MaxMemoryMb} MB, policy {Policy} (files rewritten: {Rewritten})")]
        public static partial void Updated(ILogger logger, string name, int maxMemoryMb, string policy, bool rewritten);

        [LoggerMessage(5007, LogLevel.Warning, "process {Process} has no Redis record; stopping it")]
        public static partial void StoppingOrphan(ILogger logger, string process);
    }
}
