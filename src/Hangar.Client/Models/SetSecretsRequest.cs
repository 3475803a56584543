namespace Hangar.Client.Models;

public sealed record SetSecretsRequest(IReadOnlyDictionary<string, string> Values);
