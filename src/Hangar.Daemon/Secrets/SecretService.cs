using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Security;
using Hangar.State;

namespace Hangar.Daemon.Secrets;

/// <summary>App secrets: encrypted before they reach the store, listed by digest only.</summary>
internal sealed class SecretService(RecordStore store, AppService apps, SecretBox box, TimeProvider time)
{
    public const string NameRule = "letters, digits and '_', not starting with a digit";

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 256 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public async Task<IReadOnlyList<SecretInfo>> ListAsync(string app, CancellationToken cancellationToken)
    {
        await apps.RequireAsync(app, cancellationToken);
        var record = await store.GetAsync<SecretsRecord>(StoreKeys.SecretsOf(app), cancellationToken);
        return record is null ? [] : ToInfo(record.Value);
    }

    public async Task<IReadOnlyList<SecretInfo>> SetAsync(string app, IReadOnlyDictionary<string, string>? values, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Check(values is { Count: > 0 }, "no secrets given: pass NAME=VALUE pairs");
        foreach (var name in values?.Keys ?? [])
        {
            problems.Check(IsValidName(name), $"invalid secret name '{name}': {NameRule}");
        }

        problems.ThrowIfAny();
        await apps.RequireAsync(app, cancellationToken);
        var now = time.GetUtcNow();
        var encrypted = values!.ToDictionary(kv => kv.Key, kv => new SecretEntry(box.Encrypt(app, kv.Key, kv.Value), box.Digest(kv.Value), now), StringComparer.Ordinal);
        var updated = await store.MutateAsync<SecretsRecord>(StoreKeys.SecretsOf(app), current =>
        {
            var merged = new Dictionary<string, SecretEntry>(current.Secrets, StringComparer.Ordinal);
            foreach (var (name, entry) in encrypted)
            {
                // Setting a value again to the same thing keeps its creation time, as its digest does not change.
                merged[name] = merged.TryGetValue(name, out var old) && old.Digest == entry.Digest ? old : entry;
            }

            return current with { Secrets = merged };
        }, cancellationToken) ?? throw HangarException.NotFound("app", app);
        return ToInfo(updated);
    }

    public async Task<IReadOnlyList<SecretInfo>> UnsetAsync(string app, IReadOnlyList<string>? keys, CancellationToken cancellationToken)
    {
        if (keys is not { Count: > 0 })
        {
            throw HangarException.Invalid("no secret names given");
        }

        await apps.RequireAsync(app, cancellationToken);
        var current = await store.RequireVersionedAsync<SecretsRecord>(StoreKeys.SecretsOf(app), "app", app, cancellationToken);
        var missing = keys.Where(k => !current.Value.Secrets.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw HangarException.NotFound("secret", string.Join("', '", missing));
        }

        var updated = await store.MutateAsync<SecretsRecord>(StoreKeys.SecretsOf(app), s =>
            s with { Secrets = s.Secrets.Where(kv => !keys.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal) }, cancellationToken);
        return ToInfo(updated!);
    }

    public async Task<IReadOnlyDictionary<string, string>> ValuesAsync(string app, CancellationToken cancellationToken)
    {
        await apps.RequireAsync(app, cancellationToken);
        var record = await store.GetAsync<SecretsRecord>(StoreKeys.SecretsOf(app), cancellationToken);
        return record is null
            ? new Dictionary<string, string>()
            : record.Value.Secrets.ToDictionary(kv => kv.Key, kv => box.Decrypt(app, kv.Key, kv.Value.Ciphertext), StringComparer.Ordinal);
    }

    private static List<SecretInfo> ToInfo(SecretsRecord record) =>
        [.. record.Secrets.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new SecretInfo(kv.Key, kv.Value.Digest, kv.Value.CreatedAt))];
}
