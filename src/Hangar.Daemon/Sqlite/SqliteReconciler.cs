using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Sqlite;

/// <summary>
/// Makes `litestream replicate` processes match the SQLite records, one step per record on the reconcile contract, never a
/// wait for a sync: Pending writes the config and starts supervising (adopting a process a killed daemon left), then
/// records Replicating; Replicating keeps it supervised (the supervisor restarts it after a crash, and Litestream
/// catches up from its shadow WAL, so there is no gap); Stopping stops it and records Stopped, leaving the replica.
/// </summary>
internal sealed partial class SqliteReconciler(
    IKeyValueStore kv,
    RecordStore store,
    Supervisor supervisor,
    Litestream litestream,
    ILogger<SqliteReconciler> logger,
    TimeProvider clock)
    : PhasedReconciler<SqliteRecord>(kv, store, logger, clock)
{
    protected override string Name => "sqlite";

    protected override IReadOnlyList<string> WatchedPrefixes => [SqliteKeys.Prefix];

    protected override string RecordPrefix => SqliteKeys.Prefix;

    protected override string KeyOf(SqliteRecord record) => SqliteKeys.Database(record.Name);

    protected override string NameOf(SqliteRecord record) => record.Name;

    protected override string PhaseOf(SqliteRecord record) => record.Phase.ToString().ToLowerInvariant();

    protected override StepMark MarkOf(SqliteRecord record) => new(record.Step, record.StepSince);

    protected override SqliteRecord WithMark(SqliteRecord record, StepMark mark) => record with { Step = mark.SubPhase, StepSince = mark.Since };

    protected override async Task<StepResult> StepAsync(SqliteRecord db, CancellationToken cancellationToken)
    {
        try
        {
            switch (db.Phase)
            {
                case SqlitePhase.Pending:
                    litestream.RequireBinary();
                    litestream.WriteConfig(db);
                    await supervisor.EnsureStartedAsync(litestream.Spec(db), cancellationToken);
                    await Records.MutateAsync<SqliteRecord>(SqliteKeys.Database(db.Name), r => r.Phase == SqlitePhase.Pending ? r with { Phase = SqlitePhase.Replicating, Error = null } : null, cancellationToken);
                    Log.Replicating(Logger, db.Name, db.Path, db.Bucket);
                    return StepResult.Done($"litestream replicating {db.Path} to bucket {db.Bucket}");
                case SqlitePhase.Replicating:
                    if (litestream.WriteConfig(db))
                    {
                        // A changed config (a new S3 endpoint after a restart with other flags) needs a new process.
                        await supervisor.StopAsync(SqliteKeys.ProcessName(db.Name), cancellationToken);
                    }

                    await supervisor.EnsureStartedAsync(litestream.Spec(db), cancellationToken);
                    return StepResult.Done("litestream supervised");
                case SqlitePhase.Stopping:
                    await supervisor.StopAsync(SqliteKeys.ProcessName(db.Name), cancellationToken);
                    await supervisor.StopOrphanAsync(litestream.Spec(db), cancellationToken);
                    await Records.MutateAsync<SqliteRecord>(SqliteKeys.Database(db.Name), r => r.Phase == SqlitePhase.Stopping ? r with { Phase = SqlitePhase.Stopped } : null, cancellationToken);
                    Log.Stopped(Logger, db.Name);
                    return StepResult.Done("replication stopped, replica kept");
                default:
                    return StepResult.Done("stopped, nothing to run");
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The error is shown by `sqlite status` and the API's wait; the step is retried after the backoff.
            await Records.MutateAsync<SqliteRecord>(SqliteKeys.Database(db.Name), r => r.Error == ex.Message ? null : r with { Error = ex.Message }, cancellationToken);
            throw;
        }
    }

    /// <summary>Nothing to undo: a record that cannot start keeps its error and is retried (no step has a limit).</summary>
    protected override Task FailAsync(SqliteRecord record, string reason, CancellationToken cancellationToken) =>
        Records.MutateAsync<SqliteRecord>(SqliteKeys.Database(record.Name), r => r with { Error = reason }, cancellationToken);

    protected override async Task AfterPassAsync(IReadOnlyList<SqliteRecord> records, bool resync, CancellationToken cancellationToken)
    {
        if (!resync)
        {
            return;
        }

        // A process nothing asks for any more (its record vanished) is stopped.
        var wanted = records.Where(r => r.Phase is SqlitePhase.Pending or SqlitePhase.Replicating)
            .Select(r => SqliteKeys.ProcessName(r.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var process in supervisor.List().Where(p => p.Name.StartsWith(SqliteKeys.ProcessPrefix, StringComparison.Ordinal) && !wanted.Contains(p.Name)))
        {
            Log.StoppingOrphan(Logger, process.Name);
            await supervisor.StopAsync(process.Name, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Information, "sqlite {Name}: litestream replicating {Path} to bucket {Bucket}")]
        public static partial void Replicating(ILogger logger, string name, string path, string bucket);

        [LoggerMessage(9002, LogLevel.Information, "sqlite {Name}: replication stopped, replica kept")]
        public static partial void Stopped(ILogger logger, string name);

        [LoggerMessage(9004, LogLevel.Warning, "process {Process} has no replicating SQLite record; stopping it")]
        public static partial void StoppingOrphan(ILogger logger, string process);
    }
}
