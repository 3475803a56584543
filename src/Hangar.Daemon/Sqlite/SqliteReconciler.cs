using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.State;
using Hangar.Supervision;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Sqlite;

/// <summary>
/// Makes `litestream replicate` processes match the SQLite records, one short step per record per pass and never a
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
    : ReconcileLoop(kv, logger, clock)
{
    protected override string Name => "sqlite";

    protected override IReadOnlyList<string> WatchedPrefixes => [SqliteKeys.Prefix];

    protected override async Task PassAsync(bool resync, CancellationToken cancellationToken)
    {
        var records = await store.ListAsync<SqliteRecord>(SqliteKeys.Prefix, cancellationToken);
        foreach (var db in records.Select(r => r.Value))
        {
            try
            {
                switch (db.Phase)
                {
                    case SqlitePhase.Pending:
                        litestream.RequireBinary();
                        litestream.WriteConfig(db);
                        await supervisor.EnsureStartedAsync(litestream.Spec(db), cancellationToken);
                        await store.MutateAsync<SqliteRecord>(SqliteKeys.Database(db.Name), r => r.Phase == SqlitePhase.Pending ? r with { Phase = SqlitePhase.Replicating, Error = null } : null, cancellationToken);
                        Log.Replicating(Logger, db.Name, db.Path, db.Bucket);
                        break;
                    case SqlitePhase.Replicating:
                        if (litestream.WriteConfig(db))
                        {
                            // A changed config (a new S3 endpoint after a restart with other flags) needs a new process.
                            await supervisor.StopAsync(SqliteKeys.ProcessName(db.Name), cancellationToken);
                        }

                        await supervisor.EnsureStartedAsync(litestream.Spec(db), cancellationToken);
                        break;
                    case SqlitePhase.Stopping:
                        await supervisor.StopAsync(SqliteKeys.ProcessName(db.Name), cancellationToken);
                        await supervisor.StopOrphanAsync(litestream.Spec(db), cancellationToken);
                        await store.MutateAsync<SqliteRecord>(SqliteKeys.Database(db.Name), r => r.Phase == SqlitePhase.Stopping ? r with { Phase = SqlitePhase.Stopped } : null, cancellationToken);
                        Log.Stopped(Logger, db.Name);
                        break;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.StepFailed(Logger, db.Name, db.Phase.ToString().ToLowerInvariant(), ex.Message);
                await store.MutateAsync<SqliteRecord>(SqliteKeys.Database(db.Name), r => r.Error == ex.Message ? null : r with { Error = ex.Message }, cancellationToken);
            }
        }

        if (resync)
        {
            // A process nothing asks for any more (its record vanished) is stopped.
            var wanted = records.Where(r => r.Value.Phase is SqlitePhase.Pending or SqlitePhase.Replicating)
                .Select(r => SqliteKeys.ProcessName(r.Value.Name)).ToHashSet(StringComparer.Ordinal);
            foreach (var process in supervisor.List().Where(p => p.Name.StartsWith(SqliteKeys.ProcessPrefix, StringComparison.Ordinal) && !wanted.Contains(p.Name)))
            {
                Log.StoppingOrphan(Logger, process.Name);
                await supervisor.StopAsync(process.Name, cancellationToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Information, "sqlite {Name}: litestream replicating {Path} to bucket {Bucket}")]
        public static partial void Replicating(ILogger logger, string name, string path, string bucket);

        [LoggerMessage(9002, LogLevel.Information, "sqlite {Name}: replication stopped, replica kept")]
        public static partial void Stopped(ILogger logger, string name);

        [LoggerMessage(9003, LogLevel.Warning, "sqlite {Name}: {Phase} step failed, retrying next pass: {Reason}")]
        public static partial void StepFailed(ILogger logger, string name, string phase, string reason);

        [LoggerMessage(9004, LogLevel.Warning, "process {Process} has no replicating SQLite record; stopping it")]
        public static partial void StoppingOrphan(ILogger logger, string process);
    }
}
