namespace Hangar.Core.Resources;

/// <summary>All secrets of one app in one record, so that set/unset of several keys is one atomic write. Key: /hangar/secrets/APP.</summary>
public sealed record SecretsRecord(string App, IReadOnlyDictionary<string, SecretEntry> Secrets)
{
    public static SecretsRecord Empty(string app) => new(app, new Dictionary<string, SecretEntry>(StringComparer.Ordinal));
}
