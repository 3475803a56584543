using Hangar.Core.Resources;
using Hangar.State;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// Run once at start, before the API answers: an older daemon kept each Postgres attachment twice, in the cluster
/// record and under /hangar/attachments/. The database and role move onto the attachment key and the cluster
/// record's copy goes, in one transaction per cluster. An entry with no key left is a detach cut short after its
/// key went (its role was already dropped), so it is simply dropped too.
/// </summary>
internal static class PostgresAttachmentMigration
{
    public static async Task<int> RunAsync(RecordStore store, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var cluster in await store.ListAsync<PostgresRecord>(PostgresKeys.Prefix, cancellationToken))
        {
            var current = cluster;
            for (var attempt = 0; current?.Value.LegacyAttachments is { } legacy && attempt < 20; attempt++)
            {
                var conditions = new List<StoreCondition> { new(PostgresKeys.Cluster(current.Value.Name), current.ModRevision) };
                var ops = new List<StoreOp> { new PutOp(PostgresKeys.Cluster(current.Value.Name), RecordStore.Encode(current.Value with { LegacyAttachments = null })) };
                foreach (var app in legacy.Select(a => a.App).Distinct(StringComparer.Ordinal))
                {
                    foreach (var entry in await store.Inner.ListAsync(StoreKeys.AttachmentsOf(app), cancellationToken))
                    {
                        var record = RecordStore.Decode<AttachmentRecord>(entry.Value);
                        if (record.Kind == PostgresKeys.Kind && record.Name == current.Value.Name && record.User is null
                            && legacy.FirstOrDefault(a => a.App == app && record.Variables.Contains(a.Variable)) is { } old)
                        {
                            conditions.Add(new StoreCondition(entry.Key, entry.ModRevision));
                            ops.Add(new PutOp(entry.Key, RecordStore.Encode(record with { Database = old.Database, User = old.User })));
                        }
                    }
                }

                if (await store.Inner.TryCommitAsync(new StoreTxn(conditions, ops), cancellationToken) is not null)
                {
                    moved++;
                    break;
                }

                current = await store.GetAsync<PostgresRecord>(PostgresKeys.Cluster(cluster.Value.Name), cancellationToken);
            }
        }

        return moved;
    }
}
