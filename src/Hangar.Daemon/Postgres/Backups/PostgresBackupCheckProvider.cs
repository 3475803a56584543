using Hangar.Client.Models;
using Hangar.Core.Resources;
using Hangar.Daemon.Checks;
using Hangar.Postgres.Backups;
using Hangar.State;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>
/// The "backup" check of a cluster with backups: critical while WAL cannot be pushed (and since when), a warning
/// while the last restore drill failed or a scheduled one is missing, the last backup step failed or no backup exists
/// yet, passing otherwise. Null for clusters without backups,
/// whose checks the Postgres provider gives.
/// </summary>
internal sealed class PostgresBackupCheckProvider(RecordStore store, Hosting.DaemonOptions options, TimeProvider time) : ICheckProvider
{
    public const string CheckName = "backup";

    public async Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken)
    {
        if (!Core.Names.ResourceNames.IsValid(name) || (await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(name), cancellationToken))?.Value is not { Backups.Enabled: true } cluster)
        {
            return null;
        }

        var state = (await store.GetAsync<PostgresBackupState>(BackupKeys.State(name), cancellationToken))?.Value;
        var missingDrill = state is null ? null : DrillSchedule.Missing(state, options.BackupDrillDays, time.GetUtcNow());
        var (status, output) = state switch
        {
            { ArchiveFailingSince: { } since } => ("critical", $"WAL archiving fails since {RestoreWindow.Format(since)}: {state.ArchiveFailure}"),
            { LastDrill: { Passed: false } drill } => ("warning", $"the last restore drill failed at {RestoreWindow.Format(drill.At)}: {drill.Detail}"),
            _ when missingDrill is not null => ("warning", missingDrill),
            { LastError: { } error } => ("warning", $"last backup step failed at {(state.LastErrorAt is { } at ? RestoreWindow.Format(at) : "?")}: {error}"),
            { LastBackupAt: { } last } => ("passing", $"archiving; last backup {RestoreWindow.Format(last)}, retention {cluster.Backups!.RetentionDays} days" + (state.LastDrill is { } d ? $", last drill passed {RestoreWindow.Format(d.At)} ({d.RestoreSeconds:0.0} s to restore)" : ", no drill yet")),
            _ => ("warning", "no backup yet: the first full backup is being taken"),
        };
        return [new CheckInfo(CheckName, status, output, PostgresKeys.Owner(name), time.GetUtcNow())];
    }
}
