using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Security;
using Hangar.State;

namespace Hangar.Daemon.Services;

/// <summary>
/// Attaching a resource to an app sets secrets on it (DATABASE_URL, REDIS_URL, AWS_*) and records the attachment,
/// in one transaction: either both happen or neither, and an existing secret of the same name is never overwritten.
/// </summary>
internal sealed class AttachmentService(RecordStore store, AppService apps, SecretBox box, TimeProvider time)
{
    public async Task AttachAsync(string app, string kind, string name, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        await apps.RequireAsync(app, cancellationToken);
        foreach (var variable in secrets.Keys)
        {
            if (!SecretService.IsValidName(variable))
            {
                throw HangarException.Invalid($"invalid variable name '{variable}': {SecretService.NameRule}");
            }
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            var current = await store.GetAsync<SecretsRecord>(StoreKeys.SecretsOf(app), cancellationToken) ?? throw HangarException.NotFound("app", app);
            var attachmentKey = StoreKeys.Attachment(app, kind, name);
            if (await store.Inner.GetAsync(attachmentKey, cancellationToken) is not null)
            {
                throw HangarException.Exists($"attachment of {kind} '{name}' to app", app);
            }

            var clash = secrets.Keys.FirstOrDefault(current.Value.Secrets.ContainsKey);
            if (clash is not null)
            {
                throw HangarException.Precondition($"app '{app}' already has a secret named {clash}: unset it first or choose another --variable-name");
            }

            var now = time.GetUtcNow();
            var merged = new Dictionary<string, SecretEntry>(current.Value.Secrets, StringComparer.Ordinal);
            foreach (var (variable, value) in secrets)
            {
                merged[variable] = new SecretEntry(box.Encrypt(app, variable, value), box.Digest(value), now);
            }

            var attachment = new AttachmentRecord(app, kind, name, [.. secrets.Keys], now);
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

    /// <summary>Removes the attachment and exactly the secrets it set. False when there was no such attachment.</summary>
    public async Task<bool> DetachAsync(string app, string kind, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var attachmentKey = StoreKeys.Attachment(app, kind, name);
            var attachment = await store.GetAsync<AttachmentRecord>(attachmentKey, cancellationToken);
            if (attachment is null)
            {
                return false;
            }

            var secrets = await store.GetAsync<SecretsRecord>(StoreKeys.SecretsOf(app), cancellationToken);
            var ops = new List<StoreOp> { new DeleteOp(attachmentKey) };
            var conditions = new List<StoreCondition> { new(attachmentKey, attachment.ModRevision) };
            if (secrets is not null)
            {
                var kept = secrets.Value.Secrets.Where(kv => !attachment.Value.Variables.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal);
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
}
