using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.State;

namespace Hangar.Daemon.Postgres.Backups;

/// <summary>
/// Hands out <see cref="PostgresBackupSettings.Generation"/>s: a name's counter at
/// /hangar/postgres-backup-generations/NAME is never removed, so a cluster re-created under the name of a destroyed
/// one never writes into a repository (local bucket or off-site prefix) that a kept or half-removed one still holds.
/// The first cluster of a name has generation 0, the repository names Hangar used before generations existed.
/// </summary>
internal static class BackupGenerations
{
    private const string Prefix = StoreKeys.Root + "postgres-backup-generations/";

    public static async Task<int> NextAsync(RecordStore store, string cluster, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            // Compare-and-swap underneath: two creates of the name never get the same generation.
            if (await store.MutateAsync<PostgresBackupGeneration>(Prefix + cluster, g => g with { Last = g.Last + 1 }, cancellationToken) is { } next)
            {
                return next.Last;
            }

            if (await store.CreateAsync(Prefix + cluster, new PostgresBackupGeneration { Cluster = cluster, Last = 0 }, cancellationToken))
            {
                return 0;
            }
        }

        throw new HangarException(ErrorCodes.Conflict, $"too many concurrent creates of cluster '{cluster}'; try again");
    }
}
