using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Secrets;
using Hangar.Daemon.Security;
using Hangar.State;

namespace Hangar.Daemon.Apps;

/// <summary>
/// Attaching a resource to an app sets secrets on it (DATABASE_URL, REDIS_URL, AWS_*) and records the attachment,
/// in one transaction: either both happen or neither, and an existing secret of the same name is never overwritten.
/// </summary>
internal sealed class AttachmentService(RecordStore store, AppService apps, SecretBox box, TimeProvider time)
{
    /// <summary>One attachment per resource and app (Redis, buckets).</summary>
    public Task AttachAsync(string app, string kind, string name, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken) =>
        AttachAsync(app, kind, name, null, secrets, null, cancellationToken);

    /// <summary>
    /// With <paramref name="variable"/>, one of several attachments of the resource to the app, keyed by that variable
    /// (<see cref="StoreKeys.Attachment(string, string, string, string?)"/>); refused when one already sets it.
    /// <paramref name="owned"/> names the database and role a Postgres attachment made, kept in the same record.
    /// </summary>
    public async Task AttachAsync(
        string app, string kind, string name, string? variable, IReadOnlyDictionary<string, string> secrets, (string Database, string User)? owned, CancellationToken cancellationToken)
    {
        await apps.RequireAsync(app, cancellationToken);
        foreach (var secret in secrets.Keys)
        {
            if (!SecretService.IsValidName(secret))
            {
                throw HangarException.Invalid($"invalid variable name '{secret}': {SecretService.NameRule}");
            }
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            var current = await store.RequireVersionedAsync<SecretsRecord>(StoreKeys.SecretsOf(app), "app", app, cancellationToken);
            var attachmentKey = StoreKeys.Attachment(app, kind, name, variable);
            if ((await MatchingAsync(app, kind, name, variable, cancellationToken)).Count > 0)
            {
                throw HangarException.Exists(variable is null ? $"attachment of {kind} '{name}' to app" : $"attachment of {kind} '{name}' as {variable} to app", app);
            }

            var clash = secrets.Keys.FirstOrDefault(current.Value.Secrets.ContainsKey);
            if (clash is not null)
            {
                throw HangarException.Precondition($"app '{app}' already has a secret named {clash}: unset it first or choose another --variable-name");
            }

            var now = time.GetUtcNow();
            var merged = new Dictionary<string, SecretEntry>(current.Value.Secrets, StringComparer.Ordinal);
            foreach (var (secret, value) in secrets)
            {
                merged[secret] = new SecretEntry(box.Encrypt(app, secret, value), box.Digest(value), now);
            }

            var attachment = new AttachmentRecord(app, kind, name, [.. secrets.Keys], now) { Database = owned?.Database, User = owned?.User };
            var txn = new StoreTxn(
                [new StoreCondition(StoreKeys.SecretsOf(app), current.ModRevision), new StoreCondition(attachmentKey, 0)],
                [new PutOp(StoreKeys.SecretsOf(app), RecordStore.Encode(current.Value with { Secrets = merged })), new PutOp(attachmentKey, RecordStore.Encode(attachment))]);
            if (await store.Inner.TryCommitAsync(txn, cancellationToken) is not null)
            {
                return;
            }
        }

        throw new HangarException(ErrorCodes.Conflict, $"too many concurrent changes to app '{app}'; try again");
    }

    /// <summary>Every attachment of the resource to the app, and exactly the secrets they set.</summary>
    public Task<bool> DetachAsync(string app, string kind, string name, CancellationToken cancellationToken) =>
        DetachAsync(app, kind, name, null, cancellationToken);

    /// <summary>
    /// Removes the attachments of the resource to the app that set <paramref name="variable"/> (all of them when null)
    /// and exactly the secrets they set, in one transaction. False when there was no such attachment.
    /// </summary>
    public async Task<bool> DetachAsync(string app, string kind, string name, string? variable, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var matching = await MatchingAsync(app, kind, name, variable, cancellationToken);
            if (matching.Count == 0)
            {
                return false;
            }

            var secrets = await store.GetAsync<SecretsRecord>(StoreKeys.SecretsOf(app), cancellationToken);
            var ops = new List<StoreOp>();
            var conditions = new List<StoreCondition>();
            foreach (var (entry, _) in matching)
            {
                ops.Add(new DeleteOp(entry.Key));
                conditions.Add(new StoreCondition(entry.Key, entry.ModRevision));
            }

            if (secrets is not null)
            {
                var set = matching.SelectMany(m => m.Record.Variables).ToHashSet(StringComparer.Ordinal);
                var kept = secrets.Value.Secrets.Where(kv => !set.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal);
                ops.Add(new PutOp(StoreKeys.SecretsOf(app), RecordStore.Encode(secrets.Value with { Secrets = kept })));
                conditions.Add(new StoreCondition(StoreKeys.SecretsOf(app), secrets.ModRevision));
            }

            if (await store.Inner.TryCommitAsync(new StoreTxn(conditions, ops), cancellationToken) is not null)
            {
                return true;
            }
        }

        throw new HangarException(ErrorCodes.Conflict, $"too many concurrent changes to app '{app}'; try again");
    }

    /// <summary>Every app that <paramref name="kind"/> <paramref name="name"/> is attached to.</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> OfResourceAsync(string kind, string name, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync<AttachmentRecord>(StoreKeys.Attachments, cancellationToken)).Select(a => a.Value).Where(a => a.Kind == kind && a.Name == name)];

    /// <summary>
    /// Read by record, not by key: a key written before variables were part of it (KIND:NAME) still names the
    /// attachment that set its variables.
    /// </summary>
    private async Task<IReadOnlyList<(StoreEntry Entry, AttachmentRecord Record)>> MatchingAsync(string app, string kind, string name, string? variable, CancellationToken cancellationToken) =>
        [.. (await store.Inner.ListAsync(StoreKeys.AttachmentsOf(app), cancellationToken))
            .Select(e => (Entry: e, Record: RecordStore.Decode<AttachmentRecord>(e.Value)))
            .Where(m => m.Record.Kind == kind && m.Record.Name == name && (variable is null || m.Record.Variables.Contains(variable)))];
}
