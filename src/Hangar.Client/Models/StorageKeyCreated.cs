namespace Hangar.Client.Models;

/// <summary>The answer to `storage keys create`: the only time the secret key is shown.</summary>
public sealed record StorageKeyCreated(StorageKeyInfo Key, string SecretAccessKey, string EndpointUrl, string Region);
